#include "extract/dates.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <vector>

#include "extract/page_lines.h"

namespace casenote {
namespace {

// Four-digit years before this are misreads on a clinical document, not dates.
constexpr int kEarliestYear = 1800;

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool possible(const Date& d) {
  return d.year >= kEarliestYear && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

// A date as written, before a two-digit year is given its century.
struct WrittenDate {
  int day = 0;
  int month = 0;
  int year = 0;
  bool two_digit_year = false;
};

struct Piece {
  enum Kind { Number, Word, Separator } kind;
  std::string_view text;
};

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '/' || c == '.' || c == '-' || c == ','; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Splits into runs of digits, letters and separators; nothing when another character appears.
std::optional<std::vector<Piece>> split_pieces(std::string_view text) {
  std::vector<Piece> pieces;
  size_t i = 0;
  while (i < text.size()) {
    Piece::Kind kind;
    bool (*member)(char);
    if (is_digit(text[i])) {
      kind = Piece::Number, member = is_digit;
    } else if (is_letter(text[i])) {
      kind = Piece::Word, member = is_letter;
    } else if (is_separator(text[i])) {
      kind = Piece::Separator, member = is_separator;
    } else {
      return std::nullopt;
    }
    size_t end = i;
    while (end < text.size() && member(text[end])) ++end;
    pieces.push_back({kind, text.substr(i, end - i)});
    i = end;
  }
  return pieces;
}

std::string_view trim(std::string_view text) {
  auto leading = [](char c) { return c == ' ' || c == '\t' || c == '('; };
  auto trailing = [](char c) { return c == ' ' || c == '\t' || c == '.' || c == ',' || c == ';' || c == ':' || c == ')'; };
  while (!text.empty() && leading(text.front())) text.remove_prefix(1);
  while (!text.empty() && trailing(text.back())) text.remove_suffix(1);
  return text;
}

int to_int(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

bool lower_equals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
  return true;
}

// `word` in lower case with "rn" read as "m", which OCR often makes of it ("Novernber").
std::string folded(std::string_view word) {
  std::string out;
  for (char c : word) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return with_rn_as_m(out);
}

// 1..12 for a month's full name, its first three letters or "Sept" (OCR's "Novernber" too); 0 otherwise.
int month_from_name(std::string_view written) {
  std::string word = folded(written);
  static constexpr std::array<const char*, 12> kMonths{"january", "february", "march",     "april",
                                                       "may",     "june",     "july",      "august",
                                                       "september", "october", "november", "december"};
  for (int m = 0; m < 12; ++m) {
    std::string_view full = kMonths[m];
    if (lower_equals(word, full) || lower_equals(word, full.substr(0, 3))) return m + 1;
  }
  return lower_equals(word, "sept") ? 9 : 0;
}

bool is_ordinal_suffix(std::string_view word) {
  return lower_equals(word, "st") || lower_equals(word, "nd") || lower_equals(word, "rd") || lower_equals(word, "th");
}

std::optional<WrittenDate> year_into(WrittenDate date, std::string_view year) {
  if (year.size() != 2 && year.size() != 4) return std::nullopt;
  date.year = to_int(year);
  date.two_digit_year = year.size() == 2;
  return date;
}

// "04/03/1950", "4.3.50", "04-03-1950", "1950-03-04": one separator character used twice.
std::optional<WrittenDate> read_numeric(const std::vector<Piece>& p) {
  if (p.size() != 5 || p[0].kind != Piece::Number || p[2].kind != Piece::Number || p[4].kind != Piece::Number)
    return std::nullopt;
  if (p[1].text.size() != 1 || p[1].text != p[3].text) return std::nullopt;
  char separator = p[1].text[0];
  if (separator != '/' && separator != '.' && separator != '-') return std::nullopt;
  if (p[0].text.size() == 4 && separator == '-') {
    if (p[2].text.size() > 2 || p[4].text.size() > 2) return std::nullopt;
    return WrittenDate{to_int(p[4].text), to_int(p[2].text), to_int(p[0].text), false};
  }
  if (p[0].text.size() > 2 || p[2].text.size() > 2) return std::nullopt;
  return year_into({to_int(p[0].text), to_int(p[2].text)}, p[4].text);
}

// "4th March 1950", "04-Mar-1950", "4 Mar 50", "4 March, 1950", and "4 Mar50", as OCR may
// close up a narrow space after the month.
std::optional<WrittenDate> read_month_named(const std::vector<Piece>& p) {
  size_t i = 0;
  if (p.size() < 4 || p[i].kind != Piece::Number || p[i].text.size() > 2) return std::nullopt;
  int day = to_int(p[i++].text);
  if (p[i].kind == Piece::Word && is_ordinal_suffix(p[i].text)) ++i;
  if (i + 1 >= p.size() || p[i].kind != Piece::Separator || p[i + 1].kind != Piece::Word) return std::nullopt;
  size_t year = i + 2;
  if (year < p.size() && p[year].kind == Piece::Separator) ++year;
  if (p.size() != year + 1 || p[year].kind != Piece::Number) return std::nullopt;
  int month = month_from_name(p[i + 1].text);
  if (month == 0) return std::nullopt;
  return year_into({day, month}, p[year].text);
}

// "March 4, 1950", "Mar. 4th, 1950", "Mar.4,1950": month first, so only with a comma before a
// four-digit year.
std::optional<WrittenDate> read_month_first(const std::vector<Piece>& p) {
  size_t i = 0;
  if (p.size() < 5 || p[i].kind != Piece::Word) return std::nullopt;
  int month = month_from_name(p[i++].text);
  if (month == 0 || p[i++].kind != Piece::Separator || p[i].kind != Piece::Number || p[i].text.size() > 2)
    return std::nullopt;
  int day = to_int(p[i++].text);
  if (i < p.size() && p[i].kind == Piece::Word && is_ordinal_suffix(p[i].text)) ++i;
  if (p.size() != i + 2 || p[i].kind != Piece::Separator || p[i].text.find(',') == std::string_view::npos ||
      p[i + 1].kind != Piece::Number || p[i + 1].text.size() != 4)
    return std::nullopt;
  return year_into({day, month}, p[i + 1].text);
}

std::optional<WrittenDate> read_written(std::string_view text) {
  auto pieces = split_pieces(trim(text));
  if (!pieces) return std::nullopt;
  if (auto numeric = read_numeric(*pieces)) return numeric;
  if (auto month_named = read_month_named(*pieces)) return month_named;
  return read_month_first(*pieces);
}

std::optional<Date> checked(Date date) {
  if (!possible(date)) return std::nullopt;
  return date;
}

int latest_year_ending(int two_digits, int pivot_year) {
  int year = pivot_year - pivot_year % 100 + two_digits;
  return year > pivot_year ? year - 100 : year;
}

}  // namespace

std::string Date::iso() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::optional<Date> parse_date(std::string_view text, int pivot_year) {
  auto written = read_written(text);
  if (!written) return std::nullopt;
  int year = written->two_digit_year ? latest_year_ending(written->year, pivot_year) : written->year;
  return checked({year, written->month, written->day});
}

std::optional<Date> parse_date_not_after(std::string_view text, Date latest) {
  auto written = read_written(text);
  if (!written) return std::nullopt;
  if (!written->two_digit_year) return checked({written->year, written->month, written->day});
  Date date{latest_year_ending(written->year, latest.year), written->month, written->day};
  if (date > latest) date.year -= 100;
  return checked(date);
}

bool has_two_digit_year(std::string_view text) {
  auto written = read_written(text);
  return written && written->two_digit_year;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(text[i])) return std::nullopt;
  return checked({to_int(text.substr(0, 4)), to_int(text.substr(5, 2)), to_int(text.substr(8, 2))});
}

Date years_after(Date date, int years) { return years_before(date, -years); }

Date years_before(Date date, int years) {
  date.year -= years;
  if (date.month == 2 && date.day == 29 && !is_leap(date.year)) date.day = 28;
  return date;
}

Date local_today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

}  // namespace casenote
