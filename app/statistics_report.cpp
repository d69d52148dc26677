#include "app/statistics_report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace casenote {
namespace {

struct Measure {
  const char* name;    // CSV and JSON key
  const char* label;   // for people
  const char* colour;  // chart line, from a palette that stays distinct for colour-blind readers
  int PeriodCounts::*count;
};

constexpr Measure kMeasures[] = {
    {"admissions", "Admissions", "#0072B2", &PeriodCounts::admissions},
    {"discharges", "Discharges", "#E69F00", &PeriodCounts::discharges},
    {"transfers", "Transfers", "#009E73", &PeriodCounts::transfers},
    {"deaths", "Deaths", "#000000", &PeriodCounts::deaths},
    {"referrals", "Referrals", "#CC79A7", &PeriodCounts::referrals},
    {"waiting_list_additions", "Waiting list additions", "#D55E00", &PeriodCounts::waiting_list_additions},
};

std::string breakdown(const std::vector<NamedCount>& counts) {
  std::string out;
  for (const NamedCount& c : counts) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", c.name, c.count);
  return out;
}

int total(const std::vector<NamedCount>& counts) {
  int sum = 0;
  for (const NamedCount& c : counts) sum += c.count;
  return sum;
}

std::string date_range(const StatisticsQuery& query) {
  if (query.from_date.empty() && query.to_date.empty()) return "all dates";
  return fmt::format("{} to {}", query.from_date.empty() ? "the first record" : query.from_date,
                     query.to_date.empty() ? "today" : query.to_date);
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The label of a period on the chart's axis: a month as "2024-03", a day or week by its first day.
std::string period_label(const std::string& period, const std::string& by) {
  return by == "month" ? period.substr(0, 7) : period;
}

// A step for the value axis giving at most about five gridlines, in whole events.
int axis_step(int largest) {
  int step = 1;
  while (largest / step > 5) step = step < 5 ? step + 1 : step * 2;
  return step;
}

}  // namespace

std::string statistics_table(const EventStatistics& s, const StatisticsQuery& query) {
  std::string out = fmt::format("casenote statistics, {}: events on filed documents, once per patient and date\n\n",
                                date_range(query));
  auto row = [&](const char* label, int count, const std::string& more) {
    out += fmt::format("{:<26}{:>6}{}{}\n", label, count, more.empty() ? "" : "   ", more);
  };
  row("Admissions", s.admissions, "");
  row("Discharges", s.discharges,
      s.stays ? fmt::format("length of stay: mean {:.1f} days, median {:.1f} days ({} stays)",
                            s.mean_length_of_stay_days, s.median_length_of_stay_days, s.stays)
              : "");
  row("Transfers", s.transfers, "");
  row("Deaths", s.deaths, "");
  row("Referrals", s.referrals, breakdown(s.referrals_by_priority));
  row("Waiting list additions", s.waiting_list_additions, fmt::format("on the list now: {}", s.waiting_list_size));
  row("Clinic attendances", s.clinic_attendances, "");
  row("Documents filed", total(s.filed_by_type), breakdown(s.filed_by_type));
  row("Review backlog", s.review_backlog,
      s.review_backlog ? fmt::format("oldest {:.1f} days, median {:.1f} days", s.oldest_review_days,
                                     s.median_review_days)
                       : "");
  row("Failed inputs", s.failures, "");
  row("Events awaiting review", s.events_in_review, s.events_in_review ? "not counted above" : "");

  out += fmt::format("\nBy {} (first day)", query.period);
  for (const Measure& m : kMeasures) out += fmt::format("  {}", m.label);
  out += '\n';
  if (s.series.empty()) out += "no events in these dates\n";
  for (const PeriodCounts& p : s.series) {
    out += fmt::format("{:<17}", p.period);
    for (const Measure& m : kMeasures)
      out += fmt::format("  {:>{}}", p.*m.count, std::string_view(m.label).size());
    out += '\n';
  }
  return out;
}

std::string statistics_csv(const EventStatistics& s) {
  std::string out = "period,measure,value\n";
  auto line = [&](const std::string& period, const std::string& measure, auto value) {
    out += fmt::format("{},{},{}\n", period, measure, value);
  };
  line("all", "admissions", s.admissions);
  line("all", "discharges", s.discharges);
  line("all", "stays", s.stays);
  line("all", "mean_length_of_stay_days", fmt::format("{:.2f}", s.mean_length_of_stay_days));
  line("all", "median_length_of_stay_days", fmt::format("{:.2f}", s.median_length_of_stay_days));
  line("all", "transfers", s.transfers);
  line("all", "deaths", s.deaths);
  line("all", "referrals", s.referrals);
  for (const NamedCount& c : s.referrals_by_priority) line("all", "referrals_" + c.name, c.count);
  line("all", "waiting_list_additions", s.waiting_list_additions);
  line("all", "waiting_list_size", s.waiting_list_size);
  line("all", "clinic_attendances", s.clinic_attendances);
  for (const NamedCount& c : s.filed_by_type) line("all", "filed_" + c.name, c.count);
  line("all", "review_backlog", s.review_backlog);
  line("all", "oldest_review_days", fmt::format("{:.2f}", s.oldest_review_days));
  line("all", "median_review_days", fmt::format("{:.2f}", s.median_review_days));
  line("all", "failed_inputs", s.failures);
  line("all", "events_in_review", s.events_in_review);
  for (const PeriodCounts& p : s.series)
    for (const Measure& m : kMeasures) line(p.period, m.name, p.*m.count);
  return out;
}

std::string statistics_json(const EventStatistics& s, const StatisticsQuery& query) {
  auto named = [](const std::vector<NamedCount>& counts) {
    nlohmann::json j = nlohmann::json::object();
    for (const NamedCount& c : counts) j[c.name] = c.count;
    return j;
  };
  nlohmann::json series = nlohmann::json::array();
  for (const PeriodCounts& p : s.series) {
    nlohmann::json j = {{"period", p.period}};
    for (const Measure& m : kMeasures) j[m.name] = p.*m.count;
    series.push_back(std::move(j));
  }
  nlohmann::json j = {
      {"schema", "casenote.statistics/1"},
      {"from", query.from_date},
      {"to", query.to_date},
      {"by", query.period},
      {"admissions", s.admissions},
      {"discharges", s.discharges},
      {"length_of_stay", {{"stays", s.stays},
                          {"mean_days", s.mean_length_of_stay_days},
                          {"median_days", s.median_length_of_stay_days}}},
      {"transfers", s.transfers},
      {"deaths", s.deaths},
      {"referrals", s.referrals},
      {"referrals_by_priority", named(s.referrals_by_priority)},
      {"waiting_list_additions", s.waiting_list_additions},
      {"waiting_list_size", s.waiting_list_size},
      {"clinic_attendances", s.clinic_attendances},
      {"filed_by_type", named(s.filed_by_type)},
      {"review_backlog", {{"documents", s.review_backlog},
                          {"oldest_days", s.oldest_review_days},
                          {"median_days", s.median_review_days}}},
      {"failed_inputs", s.failures},
      {"events_in_review", s.events_in_review},
      {"series", std::move(series)},
  };
  return j.dump(2) + "\n";
}

std::string statistics_chart_svg(const EventStatistics& s, const StatisticsQuery& query) {
  constexpr int kWidth = 960, kHeight = 440;
  constexpr int kLeft = 60, kRight = 210, kTop = 50, kBottom = 80;
  constexpr int kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;
  constexpr size_t kMostLabels = 12;

  std::string title = fmt::format("Events by {}, {}", query.period, date_range(query));
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{2}</text>\n",
      kWidth, kHeight, xml_escaped(title), kLeft);
  if (s.series.empty()) {
    out += fmt::format("<text x=\"{}\" y=\"{}\">No events in these dates.</text>\n", kLeft, kTop + kPlotHeight / 2);
    return out + "</svg>\n";
  }

  int largest = 1;
  for (const PeriodCounts& p : s.series)
    for (const Measure& m : kMeasures) largest = std::max(largest, p.*m.count);
  int step = axis_step(largest);
  int top_value = (largest + step - 1) / step * step;
  size_t n = s.series.size();
  auto x_of = [&](size_t i) {
    return n == 1 ? kLeft + kPlotWidth / 2.0 : kLeft + kPlotWidth * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  auto y_of = [&](int value) { return kTop + kPlotHeight * (1.0 - static_cast<double>(value) / top_value); };

  for (int value = 0; value <= top_value; value += step) {
    out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#dddddd\"/>\n", kLeft,
                       y_of(value), kLeft + kPlotWidth, y_of(value));
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 8, y_of(value) + 4,
                       value);
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>\n", kLeft, kTop,
                     kTop + kPlotHeight);
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333333\"/>\n", kLeft,
                     kTop + kPlotHeight, kLeft + kPlotWidth);
  size_t label_every = (n + kMostLabels - 1) / kMostLabels;
  for (size_t i = 0; i < n; i += label_every) {
    double x = x_of(i);
    double y = kTop + kPlotHeight + 16;
    out += fmt::format("<text x=\"{0:.1f}\" y=\"{1:.1f}\" text-anchor=\"end\" transform=\"rotate(-40 {0:.1f} {1:.1f})\">{2}</text>\n",
                       x, y, xml_escaped(period_label(s.series[i].period, query.period)));
  }

  for (size_t k = 0; k < std::size(kMeasures); ++k) {
    const Measure& m = kMeasures[k];
    std::string points;
    for (size_t i = 0; i < n; ++i)
      points += fmt::format("{}{:.1f},{:.1f}", i ? " " : "", x_of(i), y_of(s.series[i].*m.count));
    out += fmt::format("<g><title>{}</title>\n", m.label);
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", points, m.colour);
    for (size_t i = 0; i < n; ++i)
      out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>\n",
                         x_of(i), y_of(s.series[i].*m.count), m.colour, m.label,
                         xml_escaped(period_label(s.series[i].period, query.period)), s.series[i].*m.count);
    out += "</g>\n";
    int legend_y = kTop + 10 + static_cast<int>(k) * 22;
    int legend_x = kLeft + kPlotWidth + 24;
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"3\"/>\n",
                       legend_x, legend_y, legend_x + 22, m.colour);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", legend_x + 30, legend_y + 4, m.label);
  }
  return out + "</svg>\n";
}

Status write_owner_only_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{fmt::format("{}: cannot write: {}", path, std::strerror(errno))};
  // A file that existed keeps its mode through O_CREAT; it must not stay readable by others.
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t written = 0;
  while (ok && written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  int error = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) return Error{fmt::format("{}: cannot write: {}", path, std::strerror(error))};
  return ok_status();
}

}  // namespace casenote
