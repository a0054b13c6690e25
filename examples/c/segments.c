/*
 * nps from C, by segment: a response table with a brand and a date per answer, the NPS of each
 * brand with the total (margins), and the trend of NPS by month with its slope.
 *
 * Build from the repository after `make lib` (libnps.so and its SONAME link libnps.so.0):
 *     cc -I include examples/c/segments.c -L target/release -Wl,-rpath,target/release -lnps
 */
#include <stdio.h>

#include "nps.h"

/* Prints the message of the last failed nps call on this thread; returns 1 for main. */
static int fail(const char *what, nps_status status) {
    char message[512];
    nps_last_error_message(message, sizeof message, NULL);
    fflush(stdout);
    fprintf(stderr, "%s failed (%s): %s\n", what, nps_status_name((int32_t)status), message);
    return 1;
}

#define TRY(call)                                    \
    do {                                             \
        nps_status status_ = (call);                 \
        if (status_ != NPS_OK) {                     \
            code = fail(#call, status_);             \
            goto done;                               \
        }                                            \
    } while (0)

int main(void) {
    /* One row per respondent: the 0-10 answer (NaN = not answered), the brand, the date. */
    const double scores[] = {10, 9, 3, 8, 10, 0, 9, 10, 7, 9, 10, 6, 9, 10, 10, 8, 2, 9};
    const char *brand[] = {"Own", "Own", "Own", "Rival", "Rival", "Rival", "Own", "Own", "Rival",
                           "Rival", "Own", "Rival", "Own", "Own", "Own", "Rival", "Rival", "Own"};
    const char *dates[] = {"2024-01-03", "2024-01-09", "2024-01-20", "2024-01-21", "2024-01-30",
                           "2024-01-31", "2024-02-02", "2024-02-11", "2024-02-14", "2024-02-20",
                           "2024-02-27", "2024-02-28", "2024-03-01", "2024-03-05", "2024-03-15",
                           "2024-03-18", "2024-03-22", "2024-03-30"};
    const size_t n = sizeof scores / sizeof scores[0];
    const char *by_brand[] = {"brand"};
    int code = 0;
    nps_table *table = NULL;
    nps_grouping *groups = NULL;
    nps_trend_result *trend = NULL;

    /* The table copies every column; a failed call names the column and the row at fault. */
    TRY(nps_table_new(scores, n, &table));
    TRY(nps_table_add_dimension(table, "brand", brand, n));
    TRY(nps_table_set_dates_iso(table, dates, n));

    /* NPS per brand, plus the total ("all"). Groups under min_n answers are flagged small:
     * report them, but do not read them as results. */
    nps_group_options options;
    TRY(nps_group_options_default(&options));
    options.margins = true;
    options.min_n = 5;
    TRY(nps_group_by(table, by_brand, 1, NULL, &options, &groups));
    size_t rows = 0;
    TRY(nps_grouping_len(groups, &rows));
    for (size_t r = 0; r < rows; r++) {
        const char *value = NULL;
        nps_level_kind kind;
        nps_estimate e;
        bool small = false;
        TRY(nps_grouping_level(groups, r, 0, &value, &kind));
        TRY(nps_grouping_estimate(groups, r, &e, &small));
        printf("%-6s n = %2llu  NPS %6.1f  [%6.1f, %6.1f]%s\n",
               kind == NPS_LEVEL_ALL ? "(all)" : value, (unsigned long long)e.n, e.nps, e.low,
               e.high, small ? "  (small)" : "");
    }

    /* NPS by month for the whole table, and its slope in points per month. */
    TRY(nps_trend(table, NULL, 0, "month", NULL, &trend));
    size_t points = 0;
    TRY(nps_trend_result_points(trend, 0, &points));
    for (size_t p = 0; p < points; p++) {
        nps_trend_point point;
        TRY(nps_trend_result_point(trend, 0, p, &point));
        printf("%s  NPS %6.1f\n", point.label, point.has_estimate ? point.estimate.nps : 0.0);
    }
    nps_slope slope;
    TRY(nps_trend_result_slope(trend, 0, &slope));
    printf("slope %+.1f points per month [%+.1f, %+.1f], %s\n", slope.per_period, slope.low,
           slope.high,
           slope.direction == NPS_DIRECTION_FLAT ? "flat" : "moving (after the FDR)");

    /* A bad call: the message names the dimension that does not exist. */
    const char *typo[] = {"brnad"};
    nps_grouping *none = NULL;
    nps_status status = nps_group_by(table, typo, 1, NULL, NULL, &none);
    if (status != NPS_OK) fail("nps_group_by", status);

done:
    nps_trend_result_free(trend);
    nps_grouping_free(groups);
    nps_table_free(table);
    return code;
}
