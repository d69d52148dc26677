#include <fmt/format.h>

#include <iostream>

#include "app/commands.h"
#include "app/statistics_report.h"

namespace casenote {
namespace {

struct StatsOptions {
  std::string db = "casenote.db";
  StatisticsQuery query;
  std::string format = "table";
  std::string chart;  // SVG file to draw the series in; empty: none
};

int run_stats(const StatsOptions& options) {
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  auto stats = store->statistics(options.query);
  if (!stats) return report_failure(stats.error().message);
  if (options.format == "csv")
    std::cout << statistics_csv(*stats);
  else if (options.format == "json")
    std::cout << statistics_json(*stats, options.query);
  else
    std::cout << statistics_table(*stats, options.query);
  if (!options.chart.empty()) {
    if (auto written = write_owner_only_file(options.chart, statistics_chart_svg(*stats, options.query)); !written)
      return report_failure(written.error().message);
    std::cerr << "casenote: chart written to " << options.chart << "\n";
  }
  return 0;
}

// Why the options cannot be used, in one line; nothing when they can.
std::optional<std::string> options_problem(const StatsOptions& options) {
  const StatisticsQuery& q = options.query;
  for (const auto& [option, value] : {std::pair{"--from", q.from_date}, std::pair{"--to", q.to_date}})
    if (auto problem = date_option_problem("stats", option, value)) return problem;
  if (!q.from_date.empty() && !q.to_date.empty() && q.to_date < q.from_date)
    return fmt::format("stats: --to {} is before --from {}", q.to_date, q.from_date);
  if (q.period != "day" && q.period != "week" && q.period != "month")
    return fmt::format("stats: --by '{}' is none of day, week, month", q.period);
  if (options.format != "table" && options.format != "csv" && options.format != "json")
    return fmt::format("stats: --format '{}' is none of table, csv, json", options.format);
  if (!options.chart.empty() && !options.chart.ends_with(".svg"))
    return fmt::format("stats: --chart '{}' must name an .svg file", options.chart);
  return std::nullopt;
}

}  // namespace

void add_stats_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<StatsOptions>();
  auto* command = app.add_subcommand("stats", "Admissions, discharges and length of stay, transfers, deaths, "
                                              "referrals, waiting list, filing, review backlog and failures");
  add_db_option(*command, options->db);
  command->add_option("--from", options->query.from_date, "on or after (YYYY-MM-DD)");
  command->add_option("--to", options->query.to_date, "on or before (YYYY-MM-DD)");
  command->add_option("--by", options->query.period, "series period: day, week or month")->capture_default_str();
  command->add_option("--format", options->format, "table, csv or json")->capture_default_str();
  command->add_option("--chart", options->chart, "also draw the series as an SVG chart in this file");
  command->callback([options, &exit_status] {
    if (auto problem = options_problem(*options)) {
      exit_status = report_failure(*problem);
      return;
    }
    exit_status = run_stats(*options);
  });
}

}  // namespace casenote
