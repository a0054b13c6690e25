/*
 * Driver importance through the C ABI: Shapley value regression (LMG), Johnson's relative
 * weights and Pratt's measure on R's swiss data against R relaimpo 2.2-7
 * (tests/reference/driver_importance_swiss.json, to 1e-10), the table entry point with options
 * and bootstrap intervals, then every bad input of the feature: each fails with its status and
 * a message naming the driver at fault. Run under valgrind by run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define REFERENCE_TOL 1e-10
#define N_SWISS 47
#define P_SWISS 5

/* ---------------------------------------------------------------------------------------------
 * R's swiss data (tests/reference/swiss.csv): Fertility, then the five drivers.
 * ------------------------------------------------------------------------------------------- */

static const char *const SWISS_DRIVERS[P_SWISS] = {"Agriculture", "Examination", "Education",
                                                   "Catholic", "Infant.Mortality"};

static const double SWISS[N_SWISS][1 + P_SWISS] = {
    {80.2, 17, 15, 12, 9.96, 22.2}, /* Courtelary */
    {83.1, 45.1, 6, 9, 84.84, 22.2}, /* Delemont */
    {92.5, 39.7, 5, 5, 93.4, 20.2}, /* Franches-Mnt */
    {85.8, 36.5, 12, 7, 33.77, 20.3}, /* Moutier */
    {76.9, 43.5, 17, 15, 5.16, 20.6}, /* Neuveville */
    {76.1, 35.3, 9, 7, 90.57, 26.6}, /* Porrentruy */
    {83.8, 70.2, 16, 7, 92.85, 23.6}, /* Broye */
    {92.4, 67.8, 14, 8, 97.16, 24.9}, /* Glane */
    {82.4, 53.3, 12, 7, 97.67, 21}, /* Gruyere */
    {82.9, 45.2, 16, 13, 91.38, 24.4}, /* Sarine */
    {87.1, 64.5, 14, 6, 98.61, 24.5}, /* Veveyse */
    {64.1, 62, 21, 12, 8.52, 16.5}, /* Aigle */
    {66.9, 67.5, 14, 7, 2.27, 19.1}, /* Aubonne */
    {68.9, 60.7, 19, 12, 4.43, 22.7}, /* Avenches */
    {61.7, 69.3, 22, 5, 2.82, 18.7}, /* Cossonay */
    {68.3, 72.6, 18, 2, 24.2, 21.2}, /* Echallens */
    {71.7, 34, 17, 8, 3.3, 20}, /* Grandson */
    {55.7, 19.4, 26, 28, 12.11, 20.2}, /* Lausanne */
    {54.3, 15.2, 31, 20, 2.15, 10.8}, /* La Vallee */
    {65.1, 73, 19, 9, 2.84, 20}, /* Lavaux */
    {65.5, 59.8, 22, 10, 5.23, 18}, /* Morges */
    {65, 55.1, 14, 3, 4.52, 22.4}, /* Moudon */
    {56.6, 50.9, 22, 12, 15.14, 16.7}, /* Nyone */
    {57.4, 54.1, 20, 6, 4.2, 15.3}, /* Orbe */
    {72.5, 71.2, 12, 1, 2.4, 21}, /* Oron */
    {74.2, 58.1, 14, 8, 5.23, 23.8}, /* Payerne */
    {72, 63.5, 6, 3, 2.56, 18}, /* Paysd'enhaut */
    {60.5, 60.8, 16, 10, 7.72, 16.3}, /* Rolle */
    {58.3, 26.8, 25, 19, 18.46, 20.9}, /* Vevey */
    {65.4, 49.5, 15, 8, 6.1, 22.5}, /* Yverdon */
    {75.5, 85.9, 3, 2, 99.71, 15.1}, /* Conthey */
    {69.3, 84.9, 7, 6, 99.68, 19.8}, /* Entremont */
    {77.3, 89.7, 5, 2, 100, 18.3}, /* Herens */
    {70.5, 78.2, 12, 6, 98.96, 19.4}, /* Martigwy */
    {79.4, 64.9, 7, 3, 98.22, 20.2}, /* Monthey */
    {65, 75.9, 9, 9, 99.06, 17.8}, /* St Maurice */
    {92.2, 84.6, 3, 3, 99.46, 16.3}, /* Sierre */
    {79.3, 63.1, 13, 13, 96.83, 18.1}, /* Sion */
    {70.4, 38.4, 26, 12, 5.62, 20.3}, /* Boudry */
    {65.7, 7.7, 29, 11, 13.79, 20.5}, /* La Chauxdfnd */
    {72.7, 16.7, 22, 13, 11.22, 18.9}, /* Le Locle */
    {64.4, 17.6, 35, 32, 16.92, 23}, /* Neuchatel */
    {77.6, 37.6, 15, 7, 4.97, 20}, /* Val de Ruz */
    {67.6, 18.7, 25, 7, 8.65, 19.5}, /* ValdeTravers */
    {35, 1.2, 37, 53, 42.34, 18}, /* V. De Geneve */
    {44.7, 46.6, 16, 29, 50.43, 18.2}, /* Rive Droite */
    {42.8, 27.7, 22, 29, 58.33, 19.3}, /* Rive Gauche */
};

/* relaimpo calc.relimp(Fertility ~ ., swiss): R², raw values (rela = FALSE) and shares
 * (rela = TRUE), drivers in the order above. */
#define SWISS_R2 0.7067350015927253

struct reference {
    const char *method;    /* nps name */
    const char *relaimpo;  /* relaimpo's type */
    double raw[P_SWISS];
    double share[P_SWISS];
};

static const struct reference SWISS_REFERENCE[] = {
    {"shapley", "lmg",
     {0.0570912207680913, 0.171173028900234, 0.260134678624385, 0.105570150373494,
      0.112765922926522},
     {0.0807816517356976, 0.242202563216017, 0.368079517836438, 0.149377277389087,
      0.15955898982276}},
    {"johnson", "genizi",
     {0.0484168958119008, 0.15470824980616, 0.271964104645999, 0.114680029947562,
      0.116965721381104},
     {0.0685078504712326, 0.218905600341717, 0.38481765305679, 0.162267369932314,
      0.165501526197947}},
    {"pratt", "pratt",
     {-0.110485990962387, 0.106427404338934, 0.445004567582031, 0.161176814996607,
      0.104612205637541},
     {-0.156332982961636, 0.15059025532779, 0.629662556091252, 0.228058345254407,
      0.148021826288188}},
};

/* The swiss columns: outcome (Fertility) and the drivers, as separate arrays. */
static double swiss_outcome[N_SWISS];
static double swiss_ratings[P_SWISS][N_SWISS];

static void load_swiss(void) {
    for (size_t i = 0; i < N_SWISS; i++) {
        swiss_outcome[i] = SWISS[i][0];
        for (size_t j = 0; j < P_SWISS; j++) swiss_ratings[j][i] = SWISS[i][1 + j];
    }
}

/* Driver importance of the swiss columns by `method` (NULL on failure, which is reported). */
static nps_driver_importance *swiss_importance(const char *method, const char *missing) {
    const double *cols[P_SWISS];
    nps_driver_options o;
    nps_driver_importance *r = NULL;
    for (size_t j = 0; j < P_SWISS; j++) cols[j] = swiss_ratings[j];
    CHECK_OK(nps_driver_options_default(&o));
    o.method = method;
    o.missing = missing;
    CHECK_OK(nps_drivers_from_columns(swiss_outcome, N_SWISS, SWISS_DRIVERS, cols, P_SWISS, NULL,
                                      &o, &r));
    return r;
}

/* ---------------------------------------------------------------------------------------------
 * Reference values
 * ------------------------------------------------------------------------------------------- */

static void swiss_matches_relaimpo(void) {
    for (size_t m = 0; m < LEN(SWISS_REFERENCE); m++) {
        const struct reference *ref = &SWISS_REFERENCE[m];
        nps_driver_importance *r = swiss_importance(ref->method, NULL);
        size_t len = 0;
        uint64_t n = 0;
        double r2 = 0.0, total = 0.0, share_total = 0.0;
        if (r == NULL) continue;
        CHECK_OK(nps_driver_importance_len(r, &len));
        CHECK_EQ_U64(len, P_SWISS);
        CHECK_OK(nps_driver_importance_n(r, &n));
        CHECK_EQ_U64(n, N_SWISS);
        CHECK_OK(nps_driver_importance_r2(r, &r2));
        CHECK_NEAR(r2, SWISS_R2, REFERENCE_TOL);
        for (size_t j = 0; j < len && j < P_SWISS; j++) {
            nps_driver_row row;
            CHECK_OK(nps_driver_importance_row(r, j, &row));
            CHECK(strcmp(row.driver, SWISS_DRIVERS[j]) == 0);
            CHECK_NEAR(row.importance, ref->raw[j], REFERENCE_TOL);
            CHECK_NEAR(row.share, ref->share[j], REFERENCE_TOL);
            CHECK(isnan(row.se) && isnan(row.low) && isnan(row.high));
            CHECK(!row.bootstrapped && !row.includes_zero);
            total += row.importance;
            share_total += row.share;
        }
        /* All three split R² among the drivers. */
        CHECK_NEAR(total, SWISS_R2, REFERENCE_TOL);
        CHECK_NEAR(share_total, 1.0, 1e-12);
        nps_driver_importance_free(r);
    }
}

/* Signs of the full-model coefficients: Agriculture is the one negative (hence its negative
 * Pratt value); nothing is missing, so pairwise deletion gives the listwise result. */
static void swiss_signs_and_pairwise(void) {
    static const double signs[P_SWISS] = {-1, -1, -1, 1, 1};
    nps_driver_importance *listwise = swiss_importance("shapley", "listwise");
    nps_driver_importance *pairwise = swiss_importance("shapley", "pairwise");
    if (listwise == NULL || pairwise == NULL) goto done;
    for (size_t j = 0; j < P_SWISS; j++) {
        nps_driver_row a, b;
        CHECK_OK(nps_driver_importance_row(listwise, j, &a));
        CHECK_OK(nps_driver_importance_row(pairwise, j, &b));
        CHECK_NEAR(a.sign, signs[j], 0.0);
        CHECK_NEAR(b.importance, a.importance, 1e-12);
    }
done:
    nps_driver_importance_free(listwise);
    nps_driver_importance_free(pairwise);
}

/* ---------------------------------------------------------------------------------------------
 * A table of recommend scores with driver ratings
 * ------------------------------------------------------------------------------------------- */

/* A 1..5 rating of row i that is neither constant nor a combination of the swiss drivers. */
static double rating5(size_t i) { return (double)(1 + (i * 7 + i / 5) % 5); }

/* The swiss rows as a survey: the score is Fertility / 10 rounded (0..10), the drivers are the
 * five swiss columns and "service", a 1..5 rating. */
static nps_table *survey(void) {
    double scores[N_SWISS], service[N_SWISS];
    nps_table *t = NULL;
    for (size_t i = 0; i < N_SWISS; i++) {
        scores[i] = round(SWISS[i][0] / 10.0);
        service[i] = rating5(i);
    }
    CHECK_OK(nps_table_new(scores, N_SWISS, &t));
    for (size_t j = 0; j < P_SWISS; j++)
        CHECK_OK(nps_table_add_driver(t, SWISS_DRIVERS[j], swiss_ratings[j], N_SWISS));
    CHECK_OK(nps_table_add_driver(t, "service", service, N_SWISS));
    return t;
}

static void options_default(void) {
    nps_driver_options o;
    CHECK_OK(nps_driver_options_default(&o));
    CHECK(o.method == NULL && o.outcome == NULL && o.missing == NULL);
    CHECK(!o.spearman && !o.has_rating_scale);
    CHECK_EQ_U64(o.max_exact, 24);
    CHECK_EQ_U64(o.shapley_samples, 0);
    CHECK_EQ_U64(o.replicates, 0);
    CHECK_NEAR(o.level, 0.95, 0.0);
    CHECK_STATUS(nps_driver_options_default(NULL), NPS_ERR_NULL_POINTER);
}

static void table_drivers(void) {
    nps_table *t = survey();
    nps_driver_importance *r = NULL;
    const char *chosen[] = {"service", "Education"};
    nps_driver_options o;
    size_t len = 0;
    double r2 = 0.0, total = 0.0;
    char *json = NULL;

    /* Every driver, defaults (options NULL): Shapley values add up to R². */
    CHECK_OK(nps_drivers(t, NULL, 0, NULL, &r));
    CHECK_OK(nps_driver_importance_len(r, &len));
    CHECK_EQ_U64(len, P_SWISS + 1);
    CHECK_OK(nps_driver_importance_r2(r, &r2));
    for (size_t j = 0; j < len; j++) {
        nps_driver_row row;
        CHECK_OK(nps_driver_importance_row(r, j, &row));
        total += row.importance;
    }
    CHECK_NEAR(total, r2, 1e-12);
    {
        nps_driver_row row;
        CHECK_ERR(nps_driver_importance_row(r, len, &row), NPS_ERR_INVALID_ARGUMENT,
                  "row is 6, but there are 6 rows");
        CHECK_ERR(nps_driver_importance_row(r, 0, NULL), NPS_ERR_NULL_POINTER, "out");
    }
    CHECK_OK(nps_driver_importance_to_json(r, &json));
    CHECK(json != NULL && strstr(json, "\"method\":\"shapley\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"driver\":\"service\"") != NULL);
    nps_string_free(json);
    nps_driver_importance_free(r);
    r = NULL;

    /* Two drivers in the order asked, Johnson weights of being a promoter, Spearman, with
     * bootstrap intervals on a declared 0..100 scale. */
    CHECK_OK(nps_driver_options_default(&o));
    o.method = "johnson";
    o.outcome = "promoter";
    o.spearman = true;
    o.has_rating_scale = true;
    o.rating_min = 0.0;
    o.rating_max = 100.0;
    o.replicates = 200;
    o.level = 0.9;
    o.seed = 7;
    CHECK_OK(nps_drivers(t, chosen, LEN(chosen), &o, &r));
    CHECK_OK(nps_driver_importance_len(r, &len));
    CHECK_EQ_U64(len, 2);
    for (size_t j = 0; j < len && j < 2; j++) {
        nps_driver_row row;
        CHECK_OK(nps_driver_importance_row(r, j, &row));
        CHECK(strcmp(row.driver, chosen[j]) == 0);
        CHECK(row.bootstrapped);
        CHECK(row.low <= row.high);
        CHECK(row.includes_zero == (row.low <= 0.0 && row.high >= 0.0));
        CHECK(isnan(row.se));
    }
    CHECK_OK(nps_driver_importance_to_json(r, &json));
    CHECK(json != NULL && strstr(json, "\"outcome\":\"promoter\"") != NULL);
    nps_string_free(json);
    nps_driver_importance_free(r);
    r = NULL;

    /* Sampled Shapley carries a standard error. */
    CHECK_OK(nps_driver_options_default(&o));
    o.shapley_samples = 50;
    CHECK_OK(nps_drivers(t, NULL, 0, &o, &r));
    {
        nps_driver_row row;
        CHECK_OK(nps_driver_importance_row(r, 0, &row));
        CHECK(!isnan(row.se) && row.se >= 0.0);
    }
    nps_driver_importance_free(r);
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Bad input: each fails with its status and a message naming the driver
 * ------------------------------------------------------------------------------------------- */

/* nps_drivers on `t` with `o` fails with `status`, writes nothing, and says `fragment`. */
#define CHECK_DRIVERS_ERR(t, names, n, o, status, fragment)                 \
    do {                                                                  \
        nps_driver_importance *r_ = NULL;                                 \
        CHECK_ERR(nps_drivers((t), (names), (n), (o), &r_), (status), (fragment)); \
        CHECK(r_ == NULL);                                                \
        nps_driver_importance_free(r_);                                   \
    } while (0)

static void constant_driver(void) {
    nps_table *t = survey();
    double flat[N_SWISS];
    for (size_t i = 0; i < N_SWISS; i++) flat[i] = 4.0;
    CHECK_OK(nps_table_add_driver(t, "flat", flat, N_SWISS));
    CHECK_DRIVERS_ERR(t, NULL, 0, NULL, NPS_ERR_INVALID_DRIVER, "driver \"flat\" is constant");
    nps_table_free(t);
}

static void collinear_drivers(void) {
    nps_table *t = survey();
    const char *names[] = {"Education", "Catholic", "again"};
    CHECK_OK(nps_table_add_driver(t, "again", swiss_ratings[2], N_SWISS));
    CHECK_DRIVERS_ERR(t, names, LEN(names), NULL, NPS_ERR_INVALID_DRIVER,
                      "driver \"again\" is perfectly collinear with \"Education\"; drop or "
                      "combine one of them");
    nps_table_free(t);
}

static void all_missing_driver(void) {
    nps_table *t = survey();
    double unrated[N_SWISS];
    for (size_t i = 0; i < N_SWISS; i++) unrated[i] = NAN;
    CHECK_OK(nps_table_add_driver(t, "unrated", unrated, N_SWISS));
    CHECK_DRIVERS_ERR(t, NULL, 0, NULL, NPS_ERR_INVALID_DRIVER,
                      "driver \"unrated\" has no ratings (all 47 rows are missing)");
    nps_table_free(t);
}

/* 3 drivers need 5 complete rows; "sparse" leaves only 4 rows with every rating. */
static void too_few_complete_rows(void) {
    nps_table *t = survey();
    const char *names[] = {"Education", "service", "sparse"};
    double sparse[N_SWISS];
    for (size_t i = 0; i < N_SWISS; i++) sparse[i] = i < 4 ? rating5(i + 1) : NAN;
    CHECK_OK(nps_table_add_driver(t, "sparse", sparse, N_SWISS));
    CHECK_DRIVERS_ERR(t, names, LEN(names), NULL, NPS_ERR_INVALID_DRIVER,
                      "driver importance over \"Education\", \"service\" and \"sparse\" needs at "
                      "least 5 rows with the outcome and every driver rated; 4 have them");
    nps_table_free(t);
}

/* Six drivers against an exact limit of 5: the message names both alternatives, which work. */
static void too_many_drivers(void) {
    nps_table *t = survey();
    nps_driver_options o;
    nps_driver_importance *r = NULL;
    CHECK_OK(nps_driver_options_default(&o));
    o.max_exact = 5;
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_DRIVER,
                      "exact shapley over 6 drivers exceeds the limit of 5");
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_DRIVER, "use method \"johnson\"");
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_DRIVER, "shapley_samples");
    o.method = "johnson";
    CHECK_OK(nps_drivers(t, NULL, 0, &o, &r));
    nps_driver_importance_free(r);
    r = NULL;
    o.method = "shapley";
    o.shapley_samples = 100;
    CHECK_OK(nps_drivers(t, NULL, 0, &o, &r));
    nps_driver_importance_free(r);
    o.shapley_samples = 0;
    o.max_exact = 31;
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_ARGUMENT, "max_exact");
    nps_table_free(t);
}

static void rating_off_the_scale(void) {
    nps_table *t = survey();
    const char *names[] = {"service", "service2"};
    nps_driver_options o;
    double service2[N_SWISS];
    for (size_t i = 0; i < N_SWISS; i++) service2[i] = rating5(i + 3);
    service2[17] = 7.0;
    CHECK_OK(nps_table_add_driver(t, "service2", service2, N_SWISS));
    CHECK_OK(nps_driver_options_default(&o));
    o.has_rating_scale = true;
    o.rating_min = 1.0;
    o.rating_max = 5.0;
    CHECK_DRIVERS_ERR(t, names, LEN(names), &o, NPS_ERR_INVALID_DRIVER,
                      "driver \"service2\" has rating 7 at index 17, outside the rating scale "
                      "1..=5");
    /* A scale that is not one. */
    o.rating_min = 5.0;
    o.rating_max = 1.0;
    CHECK_DRIVERS_ERR(t, names, LEN(names), &o, NPS_ERR_INVALID_ARGUMENT, "rating_scale");
    nps_table_free(t);
}

/* Names, methods and pointers. */
static void names_and_pointers(void) {
    nps_table *t = survey();
    const char *unknown[] = {"Education", "speed"};
    const char *twice[] = {"Education", "Education"};
    const char *null_name[] = {"Education", NULL};
    const char bad_utf8[] = {'E', (char)0xff, 0};
    const char *not_utf8[] = {bad_utf8};
    nps_driver_options o;
    nps_driver_importance *r = NULL;

    CHECK_DRIVERS_ERR(t, unknown, LEN(unknown), NULL, NPS_ERR_UNKNOWN_NAME, "speed");
    CHECK_DRIVERS_ERR(t, twice, LEN(twice), NULL, NPS_ERR_INVALID_ARGUMENT, "\"Education\" twice");
    CHECK_DRIVERS_ERR(t, null_name, LEN(null_name), NULL, NPS_ERR_NULL_POINTER, "drivers[1]");
    CHECK_DRIVERS_ERR(t, not_utf8, LEN(not_utf8), NULL, NPS_ERR_INVALID_UTF8, "drivers[0]");
    CHECK_DRIVERS_ERR(t, NULL, 2, NULL, NPS_ERR_NULL_POINTER, "drivers");
    CHECK_DRIVERS_ERR(NULL, NULL, 0, NULL, NPS_ERR_NULL_POINTER, "table");
    CHECK_ERR(nps_drivers(t, NULL, 0, NULL, NULL), NPS_ERR_NULL_POINTER, "out");

    CHECK_OK(nps_driver_options_default(&o));
    o.method = "lmg";
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "lmg");
    o.method = NULL;
    o.outcome = "nps";
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "score, promoter, detractor");
    o.outcome = NULL;
    o.missing = "drop";
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_UNKNOWN_METHOD, "listwise, pairwise");
    o.missing = NULL;
    o.level = 1.5;
    CHECK_DRIVERS_ERR(t, NULL, 0, &o, NPS_ERR_INVALID_LEVEL, "1.5");

    /* The accessors check their handle. */
    {
        size_t len = 0;
        double r2 = 0.0;
        uint64_t n = 0;
        nps_driver_row row;
        char *json = NULL;
        CHECK_ERR(nps_driver_importance_len(NULL, &len), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_driver_importance_r2(NULL, &r2), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_driver_importance_n(NULL, &n), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_driver_importance_row(NULL, 0, &row), NPS_ERR_NULL_POINTER, "result");
        CHECK_ERR(nps_driver_importance_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "result");
    }
    nps_driver_importance_free(r);
    nps_table_free(t);
}

/* The column entry point: bootstrap needs a table; columns are checked as the table's are. */
static void columns_bad_input(void) {
    const double *cols[P_SWISS];
    const double *null_col[P_SWISS];
    double off[N_SWISS];
    nps_driver_options o;
    nps_driver_importance *r = NULL;
    for (size_t j = 0; j < P_SWISS; j++) cols[j] = null_col[j] = swiss_ratings[j];
    null_col[3] = NULL;
    CHECK_OK(nps_driver_options_default(&o));
    o.replicates = 10;
    CHECK_ERR(nps_drivers_from_columns(swiss_outcome, N_SWISS, SWISS_DRIVERS, cols, P_SWISS, NULL,
                                       &o, &r),
              NPS_ERR_INVALID_ARGUMENT, "replicates");
    CHECK_ERR(nps_drivers_from_columns(swiss_outcome, N_SWISS, SWISS_DRIVERS, null_col, P_SWISS,
                                       NULL, NULL, &r),
              NPS_ERR_NULL_POINTER, "a column of ratings");
    /* A second copy of Education under another name. */
    {
        const char *names[] = {"Education", "Education (copy)"};
        const double *two[] = {swiss_ratings[2], swiss_ratings[2]};
        CHECK_ERR(nps_drivers_from_columns(swiss_outcome, N_SWISS, names, two, 2, NULL, NULL, &r),
                  NPS_ERR_INVALID_DRIVER, "driver \"Education (copy)\" is perfectly collinear");
    }
    /* Catholic is a percentage: off a declared 1..5 scale at its first row. */
    for (size_t i = 0; i < N_SWISS; i++) off[i] = swiss_ratings[3][i];
    o.replicates = 0;
    o.has_rating_scale = true;
    o.rating_min = 0.0;
    o.rating_max = 99.0;
    {
        const char *names[] = {"Catholic"};
        const double *one[] = {off};
        off[30] = 120.0;
        CHECK_ERR(nps_drivers_from_columns(swiss_outcome, N_SWISS, names, one, 1, NULL, &o, &r),
                  NPS_ERR_INVALID_DRIVER,
                  "driver \"Catholic\" has rating 120 at index 30, outside the rating scale "
                  "0..=99");
    }
    CHECK(r == NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Per group: nps_drivers_by
 * ------------------------------------------------------------------------------------------- */

/* Pearson's r of x and y (n values), computed here to check the library by hand. */
static double pearson(const double *x, const double *y, size_t n) {
    double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* Brands A (rows 0-5), B (rows 6-11) and C (rows 12-15) with one driver, "speed", that is
 * constant within C. With one driver, the importance of "first" is r² and that of "r" is r,
 * computed here from each brand's rows. */
#define N_BY 16
static const double BY_SCORES[N_BY] = {10, 9, 3, 8, 6, 2,  /* A */
                                       7, 9, 5, 10, 4, 8,  /* B */
                                       9, 3, 7, 10};       /* C */
static const double BY_SPEED[N_BY] = {5, 4, 2, 4, 3, 1,    /* A */
                                      3, 2, 4, 5, 1, 3,    /* B */
                                      4, 4, 4, 4};         /* C */
static const char *const BY_BRAND[N_BY] = {"A", "A", "A", "A", "A", "A", "B", "B",
                                           "B", "B", "B", "B", "C", "C", "C", "C"};

static nps_table *by_table(void) {
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(BY_SCORES, N_BY, &t));
    CHECK_OK(nps_table_add_dimension(t, "brand", BY_BRAND, N_BY));
    CHECK_OK(nps_table_add_driver(t, "speed", BY_SPEED, N_BY));
    return t;
}

static void drivers_by_brand(void) {
    nps_table *t = by_table();
    nps_driver_grouping *g = NULL;
    nps_driver_options o;
    const char *keys[] = {"brand"};
    const char *brands[] = {"A", "B", "C"};
    const size_t first_row[] = {0, 6, 12}, n_rows[] = {6, 6, 4};
    size_t len = 0;
    char *json = NULL;

    CHECK_OK(nps_driver_options_default(&o));
    o.method = "first";
    CHECK_OK(nps_drivers_by(t, keys, LEN(keys), NULL, NULL, 0, &o, &g));
    CHECK_OK(nps_driver_grouping_len(g, &len));
    CHECK_EQ_U64(len, 3);
    for (size_t k = 0; k < len && k < 3; k++) {
        const char *value = NULL, *problem = NULL;
        nps_level_kind kind = NPS_LEVEL_ALL;
        CHECK_OK(nps_driver_grouping_level(g, k, 0, &value, &kind));
        CHECK(kind == NPS_LEVEL_VALUE);
        CHECK(value != NULL && strcmp(value, brands[k]) == 0);
        CHECK_OK(nps_driver_grouping_problem(g, k, &problem));
        if (k < 2) {
            /* Analysed: first = r² = R², from this group's rows only. */
            double r = pearson(BY_SPEED + first_row[k], BY_SCORES + first_row[k], n_rows[k]);
            nps_driver_importance *imp = NULL;
            nps_driver_row row;
            double r2 = 0.0;
            uint64_t n = 0;
            CHECK(problem == NULL);
            CHECK_OK(nps_driver_grouping_importance(g, k, &imp));
            CHECK_OK(nps_driver_importance_r2(imp, &r2));
            CHECK_OK(nps_driver_importance_n(imp, &n));
            CHECK_OK(nps_driver_importance_row(imp, 0, &row));
            CHECK_EQ_U64(n, n_rows[k]);
            CHECK(strcmp(row.driver, "speed") == 0);
            CHECK_NEAR(row.importance, r * r, 1e-12);
            CHECK_NEAR(r2, r * r, 1e-12);
            CHECK_NEAR(row.share, 1.0, 1e-12);
            CHECK_NEAR(row.sign, r > 0 ? 1.0 : -1.0, 0.0);
            nps_driver_importance_free(imp);
        } else {
            /* C: speed is constant within the brand; the problem names it, no importance. */
            nps_driver_importance *imp = NULL;
            CHECK(problem != NULL && strstr(problem, "driver \"speed\" is constant") != NULL);
            CHECK_ERR(nps_driver_grouping_importance(g, k, &imp), NPS_ERR_EMPTY,
                      "driver \"speed\" is constant");
            CHECK(imp == NULL);
        }
    }
    {
        const char *value = NULL, *problem = NULL;
        nps_level_kind kind;
        nps_driver_importance *imp = NULL;
        CHECK_ERR(nps_driver_grouping_level(g, 3, 0, &value, &kind), NPS_ERR_INVALID_ARGUMENT,
                  "group is 3, but there are 3 groups");
        CHECK_ERR(nps_driver_grouping_level(g, 0, 1, &value, &kind), NPS_ERR_INVALID_ARGUMENT,
                  "key is 1, but there are 1 keys");
        CHECK_ERR(nps_driver_grouping_problem(g, 3, &problem), NPS_ERR_INVALID_ARGUMENT,
                  "group is 3");
        CHECK_ERR(nps_driver_grouping_importance(g, 3, &imp), NPS_ERR_INVALID_ARGUMENT,
                  "group is 3");
        CHECK_ERR(nps_driver_grouping_problem(g, 0, NULL), NPS_ERR_NULL_POINTER, "message_out");
        CHECK(imp == NULL);
    }
    CHECK_OK(nps_driver_grouping_to_json(g, &json));
    CHECK(json != NULL && strstr(json, "\"keys\":[\"brand\"]") != NULL);
    CHECK(json != NULL && strstr(json, "is constant") != NULL);
    nps_string_free(json);
    nps_driver_grouping_free(g);
    g = NULL;

    /* Method "r" with the driver named: the importance is r itself. */
    {
        const char *names[] = {"speed"};
        double r = pearson(BY_SPEED, BY_SCORES, 6);
        nps_driver_importance *imp = NULL;
        nps_driver_row row;
        o.method = "r";
        CHECK_OK(nps_drivers_by(t, keys, LEN(keys), NULL, names, LEN(names), &o, &g));
        CHECK_OK(nps_driver_grouping_importance(g, 0, &imp));
        CHECK_OK(nps_driver_importance_row(imp, 0, &row));
        CHECK_NEAR(row.importance, r, 1e-12);
        nps_driver_importance_free(imp);
        nps_driver_grouping_free(g);
        g = NULL;
    }
    nps_table_free(t);
}

/* nps_drivers_by fails with `status`, writes nothing, and says `fragment`. */
#define CHECK_BY_ERR(call, g, status, fragment) \
    do {                                        \
        CHECK_ERR(call, status, fragment);      \
        CHECK((g) == NULL);                     \
        nps_driver_grouping_free(g);            \
    } while (0)

static void drivers_by_bad_input(void) {
    nps_table *t = by_table();
    nps_driver_grouping *g = NULL;
    const char *keys[] = {"brand"}, *unknown[] = {"region"}, *null_key[] = {NULL};
    const char *no_driver[] = {"price"};
    size_t len = 0;
    char *json = NULL;

    CHECK_BY_ERR(nps_drivers_by(t, unknown, 1, NULL, NULL, 0, NULL, &g), g,
                 NPS_ERR_UNKNOWN_NAME, "region");
    CHECK_BY_ERR(nps_drivers_by(t, keys, 1, NULL, no_driver, 1, NULL, &g), g,
                 NPS_ERR_UNKNOWN_NAME, "price");
    CHECK_BY_ERR(nps_drivers_by(t, keys, 1, "fortnight", NULL, 0, NULL, &g), g,
                 NPS_ERR_UNKNOWN_METHOD, "fortnight");
    CHECK_BY_ERR(nps_drivers_by(NULL, keys, 1, NULL, NULL, 0, NULL, &g), g,
                 NPS_ERR_NULL_POINTER, "table is NULL");
    CHECK_BY_ERR(nps_drivers_by(t, NULL, 1, NULL, NULL, 0, NULL, &g), g, NPS_ERR_NULL_POINTER,
                 "keys is NULL");
    CHECK_BY_ERR(nps_drivers_by(t, null_key, 1, NULL, NULL, 0, NULL, &g), g,
                 NPS_ERR_NULL_POINTER, "keys[0] is NULL");
    CHECK_STATUS(nps_drivers_by(t, keys, 1, NULL, NULL, 0, NULL, NULL), NPS_ERR_NULL_POINTER);
    CHECK_ERR(nps_driver_grouping_len(NULL, &len), NPS_ERR_NULL_POINTER, "grouping is NULL");
    CHECK_ERR(nps_driver_grouping_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "grouping");
    CHECK(json == NULL);
    nps_driver_grouping_free(NULL);
    nps_table_free(t);
}

int main(void) {
    load_swiss();
    swiss_matches_relaimpo();
    swiss_signs_and_pairwise();
    options_default();
    table_drivers();
    constant_driver();
    collinear_drivers();
    all_missing_driver();
    too_few_complete_rows();
    too_many_drivers();
    rating_off_the_scale();
    names_and_pointers();
    columns_bad_input();
    drivers_by_brand();
    drivers_by_bad_input();
    CHECK_DONE();
}
