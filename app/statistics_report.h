// The department's statistics as people read them: a table, CSV or JSON for the figures, and
// an SVG chart of the series so a manager can look rather than read.
#pragma once

#include <string>

#include "core/result.h"
#include "store/records.h"

namespace casenote {

// A plain-text report: the totals with their breakdowns, then the series one period a line.
std::string statistics_table(const EventStatistics& stats, const StatisticsQuery& query);

// Long-form CSV with the header "period,measure,value": totals with period "all", then each
// period of the series, so a spreadsheet can pivot it either way.
std::string statistics_csv(const EventStatistics& stats);

// The statistics as one JSON object (schema "casenote.statistics/1").
std::string statistics_json(const EventStatistics& stats, const StatisticsQuery& query);

// A well-formed, self-contained SVG line chart of the series: one line per event kind over the
// periods, with axes, period labels and a legend. A series with no periods gives a chart that
// says so.
std::string statistics_chart_svg(const EventStatistics& stats, const StatisticsQuery& query);

// Writes `text` to `path`, creating or replacing it readable by its owner only.
Status write_owner_only_file(const std::string& path, const std::string& text);

}  // namespace casenote
