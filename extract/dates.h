// Day-first British dates as they appear on letters and forms.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casenote {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // "YYYY-MM-DD".
  std::string iso() const;
  auto operator<=>(const Date&) const = default;
};

// Parses "04/03/1950", "4.3.50", "04-03-1950", "4th March 1950", "04-Mar-1950", "4 Mar 50",
// "1950-03-04", and the month-first "March 4, 1950" and "Mar. 4, 1950" (only with the comma and
// a four-digit year, which leave no doubt which number is the day). Two-digit years resolve to the latest year not after `pivot_year`
// (so a date of birth is never in the future). Returns nothing for impossible dates (31/02).
std::optional<Date> parse_date(std::string_view text, int pivot_year);

// Like parse_date, but a two-digit year resolves to the latest whole date not after `latest`
// ("04/06/24" read on 2024-03-01 is 1924-06-04). A four-digit year is taken as written, so the
// result can still be after `latest`.
std::optional<Date> parse_date_not_after(std::string_view text, Date latest);

// True when `text` is a date written with a two-digit year, whose century a reader must infer.
bool has_two_digit_year(std::string_view text);

// Parses an ISO "YYYY-MM-DD" date, nothing when malformed or impossible.
std::optional<Date> parse_iso_date(std::string_view text);

// The same day `years` later (29 February becomes 28 February in a common year).
Date years_after(Date date, int years);

// The same day `years` earlier (29 February becomes 28 February in a common year).
Date years_before(Date date, int years);

// Today in the machine's local time zone.
Date local_today();

}  // namespace casenote
