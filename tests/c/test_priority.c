/*
 * Prioritization through the C ABI: importance share against performance (mean rating, top-box
 * share), a target or a competitor group as reference with the gap, the quadrants against the
 * cuts, the action list and the bootstrap quadrant probabilities. Means, gaps, Wilson intervals
 * and quadrants are computed by hand here; then the bad inputs, each failing with its status and
 * a message naming what is at fault. Run under valgrind by run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N 90
#define P 3
#define Z95 1.959963984540054

static const char *const DRIVERS[P] = {"speed", "price", "staff"};

/* A small deterministic generator (LCG) for the survey. */
static unsigned long long lcg_state = 12345;
static double uniform(void) {
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) / 9007199254740992.0;
}

static double scores[N];
static double ratings[P][N];
static const char *brands[N];

/* Row i: brand "Rival" every third row, "Own" otherwise; ratings 1..5; the score rises with
 * speed most, staff least. */
static void make_survey(void) {
    for (size_t i = 0; i < N; i++) {
        double s;
        brands[i] = i % 3 == 0 ? "Rival" : "Own";
        for (size_t j = 0; j < P; j++) ratings[j][i] = (double)(1 + (int)(uniform() * 5.0));
        if (i % 3 == 0) ratings[1][i] = ratings[1][i] > 4.0 ? 5.0 : ratings[1][i] + 1.0;
        s = 1.4 * ratings[0][i] + 0.7 * ratings[1][i] + 0.2 * ratings[2][i] - 1.5 + 2.0 * uniform();
        s = round(s);
        scores[i] = s < 0.0 ? 0.0 : s > 10.0 ? 10.0 : s;
    }
}

static nps_table *survey(void) {
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores, N, &t));
    CHECK_OK(nps_table_add_dimension(t, "brand", brands, N));
    for (size_t j = 0; j < P; j++) CHECK_OK(nps_table_add_driver(t, DRIVERS[j], ratings[j], N));
    return t;
}

/* Mean of driver j over the rows of `brand` (NULL = all), and the top-box share >= `min`. */
static double mean_of(size_t j, const char *brand, double min, double *top, double *n_out) {
    double sum = 0.0, n = 0.0, hits = 0.0;
    for (size_t i = 0; i < N; i++) {
        if (brand != NULL && strcmp(brands[i], brand) != 0) continue;
        sum += ratings[j][i];
        hits += ratings[j][i] >= min;
        n += 1.0;
    }
    if (top) *top = hits / n;
    if (n_out) *n_out = n;
    return sum / n;
}

static nps_quadrant quadrant_of(int important, int well) {
    if (important) return well ? NPS_QUADRANT_EXCEED : NPS_QUADRANT_IMPROVE_NOW;
    return well ? NPS_QUADRANT_MAINTAIN : NPS_QUADRANT_LOW_PRIORITY;
}

/* Own brand against the Rival rows: means, gaps, cuts at the mean, quadrants, action list. */
static void against_a_competitor(void) {
    nps_table *t = survey();
    nps_priority_options o;
    nps_priorities_result *r = NULL;
    nps_driver_importance *imp = NULL;
    nps_priority_row rows[P];
    size_t len = 0;
    double icut = 0.0, pcut = 0.0, share_sum = 0.0, perf_sum = 0.0;
    char *json = NULL;

    CHECK_OK(nps_priority_options_default(&o));
    o.reference = "group";
    o.reference_dimension = "brand";
    o.reference_value = "Rival";
    CHECK_OK(nps_priorities(t, NULL, 0, &o, &r));
    if (r == NULL) goto done;
    CHECK_OK(nps_priorities_result_len(r, &len));
    CHECK_EQ_U64(len, P);
    CHECK_OK(nps_priorities_result_cuts(r, &icut, &pcut));
    for (size_t j = 0; j < P; j++) {
        double own = mean_of(j, "Own", 5.0, NULL, NULL), rival = mean_of(j, "Rival", 5.0, NULL, NULL);
        CHECK_OK(nps_priorities_result_row(r, j, &rows[j]));
        CHECK(strcmp(rows[j].driver, DRIVERS[j]) == 0);
        CHECK_NEAR(rows[j].performance, own, 1e-12);
        CHECK(rows[j].performance_low < own && own < rows[j].performance_high);
        CHECK_NEAR(own - rows[j].performance_low, rows[j].performance_high - own, 1e-12);
        CHECK(rows[j].has_reference);
        CHECK_NEAR(rows[j].reference, rival, 1e-12);
        CHECK_NEAR(rows[j].gap, own - rival, 1e-12);
        CHECK(rows[j].gap_p >= 0.0 && rows[j].gap_p <= 1.0);
        CHECK(rows[j].gap_q >= rows[j].gap_p);
        CHECK(rows[j].gap_significant == (rows[j].gap_q < 0.05));
        CHECK(!rows[j].has_probabilities && isnan(rows[j].probabilities[0]));
        share_sum += rows[j].share;
        perf_sum += rows[j].performance;
    }
    /* Both axes cut at the drivers' mean; the quadrants follow. */
    CHECK_NEAR(icut, share_sum / P, 1e-12);
    CHECK_NEAR(pcut, perf_sum / P, 1e-12);
    for (size_t j = 0; j < P; j++)
        CHECK(rows[j].quadrant ==
              quadrant_of(rows[j].share >= icut, rows[j].performance >= pcut));
    /* Speed drives the score most. Price is rated higher by the rival's customers (by
     * construction): it is below its reference, hence on the action list. */
    CHECK(rows[0].share > rows[1].share && rows[1].share > rows[2].share);
    CHECK(rows[1].gap < 0.0);
    CHECK(rows[1].action_rank >= 1);
    for (size_t j = 0; j < P; j++) CHECK((rows[j].action_rank == 0) == (rows[j].gap >= 0.0));

    /* The importance analysis behind it: the own rows only. */
    CHECK_OK(nps_priorities_result_importance(r, &imp));
    {
        uint64_t n = 0;
        nps_driver_row d;
        CHECK_OK(nps_driver_importance_n(imp, &n));
        CHECK_EQ_U64(n, N - N / 3);
        CHECK_OK(nps_driver_importance_row(imp, 0, &d));
        CHECK_NEAR(d.share, rows[0].share, 0.0);
    }
    CHECK_OK(nps_priorities_result_to_json(r, &json));
    CHECK(json != NULL && strstr(json, "\"quadrant\":") != NULL);
    CHECK(json != NULL && strstr(json, "\"importance_cut\":") != NULL);
    nps_string_free(json);
    {
        nps_priority_row row;
        CHECK_ERR(nps_priorities_result_row(r, P, &row), NPS_ERR_INVALID_ARGUMENT,
                  "row is 3, but there are 3 rows");
    }
done:
    nps_driver_importance_free(imp);
    nps_priorities_result_free(r);
    nps_table_free(t);
}

/* Top-box shares (ratings of 4 and 5) of the own brand against a single target, with Wilson
 * intervals; cuts given as values; bootstrap quadrant probabilities. */
static void top_box_against_a_target(void) {
    nps_table *t = survey();
    nps_priority_options o;
    nps_priorities_result *r = NULL;
    const char *chosen[] = {"staff", "speed"};
    const size_t index[] = {2, 0};

    CHECK_OK(nps_priority_options_default(&o));
    o.focus_dimension = "brand";
    o.focus_value = "Own";
    o.top_box = true;
    o.top_box_min = 4.0;
    o.reference = "target";
    o.target = 0.4;
    o.importance_threshold = "value";
    o.importance_cut = 0.5;
    o.performance_threshold = "median";
    o.importance.replicates = 100;
    o.importance.seed = 3;
    CHECK_OK(nps_priorities(t, chosen, LEN(chosen), &o, &r));
    if (r == NULL) goto done;
    for (size_t k = 0; k < LEN(chosen); k++) {
        nps_priority_row row;
        double top = 0.0, n = 0.0, z2 = Z95 * Z95, denominator, centre, half, sum = 0.0;
        mean_of(index[k], "Own", 4.0, &top, &n);
        denominator = 1.0 + z2 / n;
        centre = (top + z2 / (2.0 * n)) / denominator;
        half = Z95 * sqrt(top * (1.0 - top) / n + z2 / (4.0 * n * n)) / denominator;
        CHECK_OK(nps_priorities_result_row(r, k, &row));
        CHECK(strcmp(row.driver, chosen[k]) == 0);
        CHECK_NEAR(row.performance, top, 1e-12);
        CHECK_NEAR(row.performance_low, centre - half, 1e-12);
        CHECK_NEAR(row.performance_high, centre + half, 1e-12);
        CHECK(row.has_reference);
        CHECK_NEAR(row.reference, 0.4, 0.0);
        CHECK_NEAR(row.gap, top - 0.4, 1e-12);
        CHECK(row.has_probabilities);
        for (size_t q = 0; q < 4; q++) {
            CHECK(row.probabilities[q] >= 0.0 && row.probabilities[q] <= 1.0);
            sum += row.probabilities[q];
        }
        CHECK_NEAR(sum, 1.0, 1e-12);
    }
    {
        double icut = 0.0, pcut = 0.0, a = 0.0, b = 0.0;
        mean_of(2, "Own", 4.0, &a, NULL);
        mean_of(0, "Own", 4.0, &b, NULL);
        CHECK_OK(nps_priorities_result_cuts(r, &icut, &pcut));
        CHECK_NEAR(icut, 0.5, 0.0);
        CHECK_NEAR(pcut, (a + b) / 2.0, 1e-12); /* the median of two */
    }
done:
    nps_priorities_result_free(r);
    nps_table_free(t);
}

/* Per-driver targets: a driver not listed has no reference and no gap. */
static void per_driver_targets(void) {
    nps_table *t = survey();
    nps_priority_options o;
    nps_priorities_result *r = NULL;
    const char *target_drivers[] = {"price"};
    const double targets[] = {4.5};
    CHECK_OK(nps_priority_options_default(&o));
    o.reference = "targets";
    o.target_drivers = target_drivers;
    o.targets = targets;
    o.n_targets = 1;
    CHECK_OK(nps_priorities(t, NULL, 0, &o, &r));
    if (r != NULL) {
        nps_priority_row speed, price;
        CHECK_OK(nps_priorities_result_row(r, 0, &speed));
        CHECK_OK(nps_priorities_result_row(r, 1, &price));
        CHECK(!speed.has_reference && isnan(speed.reference) && isnan(speed.gap));
        CHECK(isnan(speed.gap_p) && isnan(speed.gap_q) && !speed.gap_significant);
        CHECK(price.has_reference);
        CHECK_NEAR(price.gap, mean_of(1, NULL, 5.0, NULL, NULL) - 4.5, 1e-12);
        CHECK(price.action_rank == 1);
    }
    nps_priorities_result_free(r);
    nps_table_free(t);
}

/* nps_priorities on `t` fails with `status`, writes nothing, and says `fragment`. */
#define CHECK_PRIORITIES_ERR(t, names, n, o, status, fragment)                       \
    do {                                                                           \
        nps_priorities_result *r_ = NULL;                                          \
        CHECK_ERR(nps_priorities((t), (names), (n), (o), &r_), (status), (fragment)); \
        CHECK(r_ == NULL);                                                         \
        nps_priorities_result_free(r_);                                            \
    } while (0)

static void bad_input(void) {
    nps_table *t = survey();
    nps_priority_options o;
    const char *target_drivers[] = {"parking"};
    const double targets[] = {3.0};
    double flat[N];

    CHECK_OK(nps_priority_options_default(&o));
    o.reference = "industry";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "none, target, targets, group");
    o.reference = "group";
    o.reference_dimension = "brand";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_NULL_POINTER, "reference_value is NULL");
    o.reference_value = "Acme";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_NAME, "Acme");
    o.reference_dimension = "region";
    o.reference_value = "North";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_NAME, "region");

    CHECK_OK(nps_priority_options_default(&o));
    o.focus_dimension = "brand";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_NULL_POINTER, "focus_value is NULL");
    o.focus_value = "Acme";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_NAME, "Acme");

    CHECK_OK(nps_priority_options_default(&o));
    o.reference = "targets";
    o.target_drivers = target_drivers;
    o.targets = targets;
    o.n_targets = 1;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_NAME, "parking");
    o.targets = NULL;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_NULL_POINTER, "targets");
    o.reference = "target";
    o.target = NAN;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_ARGUMENT, "reference");

    CHECK_OK(nps_priority_options_default(&o));
    o.performance_threshold = "mode";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "mean, median, value");
    o.performance_threshold = "value";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_ARGUMENT, "performance_threshold");
    o.performance_threshold = NULL;
    o.top_box = true;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_ARGUMENT, "top-box");
    o.top_box = false;
    o.rate = 0.0;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_ARGUMENT, "rate");
    o.rate = 0.05;
    o.level = 1.0;
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_LEVEL, "1");
    o.level = 0.95;
    o.importance.method = "lmg";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "lmg");

    /* A driver constant on the analysed rows (it varies only among the rival's) is named. */
    for (size_t i = 0; i < N; i++) flat[i] = i % 3 == 0 ? (double)(1 + i % 5) : 4.0;
    CHECK_OK(nps_table_add_driver(t, "flat", flat, N));
    CHECK_OK(nps_priority_options_default(&o));
    o.focus_dimension = "brand";
    o.focus_value = "Own";
    CHECK_PRIORITIES_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_DRIVER, "driver \"flat\" is constant");

    /* Pointers. */
    {
        const char *null_name[] = {NULL};
        size_t len = 0;
        double a = 0.0;
        nps_priority_row row;
        nps_driver_importance *imp = NULL;
        char *json = NULL;
        CHECK_PRIORITIES_ERR(NULL, NULL, 0, NULL, NPS_ERR_NULL_POINTER, "table");
        CHECK_PRIORITIES_ERR(t, null_name, 1, NULL, NPS_ERR_NULL_POINTER, "drivers[0]");
        CHECK_ERR(nps_priorities(t, NULL, 0, NULL, NULL), NPS_ERR_NULL_POINTER, "out");
        CHECK_ERR(nps_priorities_result_len(NULL, &len), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_priorities_result_row(NULL, 0, &row), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_priorities_result_cuts(NULL, &a, &a), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_priorities_result_importance(NULL, &imp), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_priorities_result_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "result");
        CHECK_STATUS(nps_priority_options_default(NULL), NPS_ERR_NULL_POINTER);
    }
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Along a journey: nps_journey_priorities
 * ------------------------------------------------------------------------------------------- */

/* One stage, one scene, two touchpoints rated as the driver columns "speed" and "price"
 * ("staff" is no node of the journey and is left out). The scene's share is the sum of its
 * touchpoints' (every analysed column is one of them: 1), the stage's the scene's; the scene's
 * performance pools both columns' ratings. */
static const char JOURNEY[] =
    "{\"stages\": [{\"id\": \"claim\", \"name\": \"Claim\", \"scenes\": [{\"id\": \"report\", "
    "\"name\": \"Report\", \"touchpoints\": [{\"id\": \"speed\", \"name\": \"Speed\"}, "
    "{\"id\": \"price\", \"name\": \"Price\"}]}]}]}";

static void along_a_journey(void) {
    nps_table *t = survey();
    nps_journey *j = NULL;
    nps_journey_priorities_result *r = NULL;
    nps_journey_priority_row rows[4];
    const nps_node_kind kinds[4] = {NPS_NODE_STAGE, NPS_NODE_SCENE, NPS_NODE_TOUCHPOINT,
                                    NPS_NODE_TOUCHPOINT};
    const char *ids[4] = {"claim", "report", "speed", "price"};
    const char *names[4] = {"Claim", "Report", "Speed", "Price"};
    const char *parents[4] = {NULL, "claim", "report", "report"};
    size_t len = 0;
    char *json = NULL;

    CHECK_OK(nps_journey_from_json(JOURNEY, &j));
    CHECK_OK(nps_journey_priorities(t, j, NULL, &r));
    CHECK_OK(nps_journey_priorities_result_len(r, &len));
    CHECK_EQ_U64(len, 4);
    for (size_t k = 0; k < 4 && k < len; k++) {
        CHECK_OK(nps_journey_priorities_result_row(r, k, &rows[k]));
        CHECK(rows[k].kind == kinds[k]);
        CHECK(strcmp(rows[k].id, ids[k]) == 0);
        CHECK(strcmp(rows[k].name, names[k]) == 0);
        CHECK(parents[k] == NULL ? rows[k].parent == NULL
                                 : rows[k].parent != NULL && strcmp(rows[k].parent, parents[k]) == 0);
        CHECK(!isnan(rows[k].importance) && !isnan(rows[k].share));
        CHECK(rows[k].has_quadrant);
    }
    if (len == 4) {
        double speed = mean_of(0, NULL, 0.0, NULL, NULL), price = mean_of(1, NULL, 0.0, NULL, NULL);
        CHECK_NEAR(rows[1].share, rows[2].share + rows[3].share, 1e-12);
        CHECK_NEAR(rows[1].importance, rows[2].importance + rows[3].importance, 1e-12);
        CHECK_NEAR(rows[1].share, 1.0, 1e-12);
        CHECK_NEAR(rows[0].share, rows[1].share, 1e-12);
        CHECK_NEAR(rows[0].importance, rows[1].importance, 1e-12);
        CHECK(rows[2].share > rows[3].share); /* the score rises with speed most */
        CHECK_NEAR(rows[2].performance, speed, 1e-12);
        CHECK_NEAR(rows[3].performance, price, 1e-12);
        CHECK_NEAR(rows[1].performance, (speed + price) / 2.0, 1e-12);
        CHECK_NEAR(rows[0].performance, rows[1].performance, 1e-12);
    }
    {
        nps_journey_priority_row row;
        CHECK_ERR(nps_journey_priorities_result_row(r, 4, &row), NPS_ERR_INVALID_ARGUMENT,
                  "row is 4, but there are 4 rows");
        CHECK_ERR(nps_journey_priorities_result_row(r, 0, NULL), NPS_ERR_NULL_POINTER, "out");
    }
    CHECK_OK(nps_journey_priorities_result_to_json(r, &json));
    CHECK(json != NULL && strstr(json, "\"id\":\"report\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"kind\":\"scene\"") != NULL);
    nps_string_free(json);
    nps_journey_priorities_result_free(r);
    nps_journey_free(j);
    nps_table_free(t);
}

/* nps_journey_priorities fails with `status`, writes nothing, and says `fragment`. */
#define CHECK_JOURNEY_ERR(t, j, o, status, fragment)                                    \
    do {                                                                               \
        nps_journey_priorities_result *r_ = NULL;                                      \
        CHECK_ERR(nps_journey_priorities((t), (j), (o), &r_), (status), (fragment));   \
        CHECK(r_ == NULL);                                                             \
        nps_journey_priorities_result_free(r_);                                        \
    } while (0)

static void journey_bad_input(void) {
    nps_table *t = survey();
    nps_journey *j = NULL, *other = NULL;
    nps_priority_options o;
    size_t len = 0;
    char *json = NULL;

    /* No driver column is a node of this journey: the message names the ids looked for. */
    CHECK_OK(nps_journey_from_json(
        "{\"stages\": [{\"id\": \"buy\", \"scenes\": [{\"id\": \"quote\", \"touchpoints\": "
        "[{\"id\": \"phone\"}, {\"id\": \"app\"}]}]}]}",
        &other));
    CHECK_JOURNEY_ERR(t, other, NULL, NPS_ERR_UNKNOWN_NAME, "quote, phone, app");

    CHECK_OK(nps_journey_from_json(JOURNEY, &j));
    CHECK_OK(nps_priority_options_default(&o));
    o.importance_threshold = "mode";
    CHECK_JOURNEY_ERR(t, j, &o, NPS_ERR_UNKNOWN_METHOD, "mean, median, value");
    CHECK_OK(nps_priority_options_default(&o));
    o.importance.method = "lmg";
    CHECK_JOURNEY_ERR(t, j, &o, NPS_ERR_UNKNOWN_METHOD, "lmg");
    CHECK_JOURNEY_ERR(NULL, j, NULL, NPS_ERR_NULL_POINTER, "table is NULL");
    CHECK_JOURNEY_ERR(t, NULL, NULL, NPS_ERR_NULL_POINTER, "journey is NULL");
    CHECK_ERR(nps_journey_priorities(t, j, NULL, NULL), NPS_ERR_NULL_POINTER, "out");
    CHECK_ERR(nps_journey_priorities_result_len(NULL, &len), NPS_ERR_NULL_POINTER, "result");
    CHECK_ERR(nps_journey_priorities_result_to_json(NULL, &json), NPS_ERR_NULL_POINTER,
              "result");
    CHECK(json == NULL);
    nps_journey_priorities_result_free(NULL);
    nps_journey_free(other);
    nps_journey_free(j);
    nps_table_free(t);
}

int main(void) {
    make_survey();
    against_a_competitor();
    top_box_against_a_target();
    per_driver_targets();
    bad_input();
    along_a_journey();
    journey_bad_input();
    CHECK_DONE();
}
