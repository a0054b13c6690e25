/*
 * The drop monitor (场景NPS per 触点, 危机处理) through the C ABI: a planted drop at one
 * touchpoint is detected with its change point, an in-control stretch of the same length at
 * another touchpoint raises nothing, the batch (nps_monitor_columns) and the stream
 * (nps_monitor_observe) give the same alarms, a stream saved to JSON and resumed gives them too,
 * the stated false-alarm rate is 1/arl0, given baselines are used; then every bad input with
 * its status and message. Run under valgrind by run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------------------------
 * The stream: two touchpoints alternating, one response a minute. "app" answers 1000 warm-up
 * responses and 1000 more in control (promoters 50 %, detractors 20 %: NPS 30), then 1000 after
 * an outage (promoters 35 %, detractors 40 %: NPS -5, a 35-point drop). "web" answers 3000 in
 * control. Every 97th score is missing (NaN) and every 101st row has no touchpoint (NULL).
 * ------------------------------------------------------------------------------------------- */

#define PER_TOUCHPOINT 3000
#define N (2 * PER_TOUCHPOINT)
#define DROP_AT 2000 /* the app's first response after the outage, in its own responses */
#define ARL0 100000.0
#define T0 1735689600 /* 2025-01-01T00:00:00Z */

static const char *touchpoints[N];
static double scores[N];
static int64_t times[N];
/* The row of the app's first response after the outage. */
static size_t drop_row;

static uint32_t lcg_state = 20250101u;

/* A uniform number in [0, 1) from a linear congruential generator. */
static double uniform(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (double)(lcg_state >> 8) / 16777216.0;
}

/* A score with promoter share p and detractor share d: 9-10, 7-8 or 0-6. */
static double draw(double p, double d) {
    double u = uniform(), v = uniform();
    if (u < p) return v < 0.5 ? 9.0 : 10.0;
    if (u < p + d) return (double)(int)(v * 7.0); /* 0..6 */
    return v < 0.5 ? 7.0 : 8.0;
}

static void make_stream(void) {
    size_t app = 0;
    for (size_t i = 0; i < N; i++) {
        int is_app = i % 2 == 0;
        int down = is_app && app >= DROP_AT;
        if (is_app && app == DROP_AT) drop_row = i;
        touchpoints[i] = is_app ? "app" : "web";
        scores[i] = down ? draw(0.35, 0.40) : draw(0.50, 0.20);
        if (i % 97 == 50) scores[i] = NAN;
        if (i % 101 == 7) touchpoints[i] = NULL;
        times[i] = T0 + 60 * (int64_t)i;
        app += is_app;
    }
}

static nps_monitor_options options(void) {
    nps_monitor_options o;
    CHECK_OK(nps_monitor_options_default(&o));
    o.arl0 = ARL0;
    return o;
}

/* ---------------------------------------------------------------------------------------------
 * Comparing alarms
 * ------------------------------------------------------------------------------------------- */

static int same_alarm(const nps_alarm *a, const nps_alarm *b) {
    return strcmp(a->touchpoint, b->touchpoint) == 0 && a->code == b->code &&
           a->index == b->index && a->time == b->time && a->change_index == b->change_index &&
           a->change_time == b->change_time && a->n == b->n && a->promoters == b->promoters &&
           a->passives == b->passives && a->detractors == b->detractors && a->nps == b->nps &&
           a->low == b->low && a->high == b->high && a->baseline_nps == b->baseline_nps &&
           a->drop == b->drop && a->drop_low == b->drop_low && a->drop_high == b->drop_high &&
           a->cusum == b->cusum && a->k == b->k && a->h == b->h && a->level == b->level;
}

#define MAX_ALARMS 64

typedef struct {
    size_t n;
    nps_alarm alarms[MAX_ALARMS];
    /* Copies of the touchpoints (the alarms' own pointers are lent by their handle). */
    char names[MAX_ALARMS][16];
} alarm_list;

static void keep(alarm_list *list, const nps_alarm *a) {
    CHECK(list->n < MAX_ALARMS);
    if (list->n >= MAX_ALARMS) return;
    snprintf(list->names[list->n], sizeof list->names[0], "%s", a->touchpoint);
    list->alarms[list->n] = *a;
    list->alarms[list->n].touchpoint = list->names[list->n];
    list->n++;
}

/* Feeds rows from..to-1 to a monitor, keeping its alarms. */
static void observe(nps_monitor *m, size_t from, size_t to, alarm_list *list) {
    for (size_t i = from; i < to; i++) {
        bool alarmed = true;
        nps_alarm a;
        CHECK_OK(nps_monitor_observe(m, touchpoints[i], scores[i], times[i], &alarmed, &a));
        if (alarmed) keep(list, &a);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Batch: the drop is found, the in-control touchpoint is quiet.
 * ------------------------------------------------------------------------------------------- */

static void batch(alarm_list *out) {
    nps_monitor_options o = options();
    nps_monitoring *m = NULL;
    CHECK_OK(nps_monitor_columns(touchpoints, scores, times, N, &o, &m));
    if (m == NULL) return;

    size_t n = 0;
    CHECK_OK(nps_monitoring_len(m, &n));
    CHECK(n >= 1);
    for (size_t i = 0; i < n; i++) {
        nps_alarm a;
        CHECK_OK(nps_monitoring_alarm(m, i, &a));
        keep(out, &a);
        /* Every alarm is at the app, after the outage, with its evidence. */
        CHECK(strcmp(a.touchpoint, "app") == 0);
        CHECK(a.code == 0);
        CHECK(a.index >= drop_row);
        CHECK(a.time == times[a.index]);
        CHECK(a.change_index <= a.index);
        CHECK(a.change_time == times[a.change_index]);
        CHECK_EQ_U64(a.promoters + a.passives + a.detractors, a.n);
        CHECK(a.nps < a.baseline_nps && a.low <= a.nps && a.nps <= a.high);
        CHECK_NEAR(a.drop, a.nps - a.baseline_nps, 1e-9);
        CHECK(a.drop_low <= a.drop && a.drop <= a.drop_high && a.drop_high < 0.0);
        CHECK(a.cusum > a.h && a.h > 0.0 && a.k > 0.0);
        CHECK(a.level == 0.95);
    }
    /* The first alarm comes within 400 rows (200 app responses) of the outage. Its change point
     * (where the alarming run of C began) is near it: here the warm-up put the app's baseline at
     * NPS 35 (the shares were 30's), so C drifted up a little before the outage and the run
     * began 94 app responses early; the bound is 200 responses either side. */
    nps_alarm first;
    CHECK_OK(nps_monitoring_alarm(m, 0, &first));
    CHECK(first.index < drop_row + 400);
    CHECK(first.change_index + 400 >= drop_row && first.change_index <= drop_row + 400);
    printf("first alarm at row %llu (outage from row %zu), change point row %llu, n %llu, "
           "NPS %.1f against %.1f, h %.2f; %zu alarms\n",
           (unsigned long long)first.index, drop_row, (unsigned long long)first.change_index,
           (unsigned long long)first.n, first.nps, first.baseline_nps, first.h, n);

    double rate = 0.0;
    CHECK_OK(nps_monitoring_false_alarm_rate(m, &rate));
    CHECK(rate == 1.0 / ARL0);

    /* The states: app warmed up and alarmed; web, in control over the same number of
     * monitored responses, never did. */
    size_t k = 0;
    CHECK_OK(nps_monitoring_n_touchpoints(m, &k));
    CHECK_EQ_U64(k, 2);
    nps_touchpoint_state app, web;
    CHECK_OK(nps_monitoring_touchpoint(m, 0, &app));
    CHECK_OK(nps_monitoring_touchpoint(m, 1, &web));
    CHECK(strcmp(app.touchpoint, "app") == 0 && strcmp(web.touchpoint, "web") == 0);
    CHECK(app.has_chart && app.from_warmup && app.warmup_n == 1000);
    CHECK_EQ_U64(app.alarms, n);
    CHECK_EQ_U64(web.alarms, 0);
    CHECK(web.has_chart && web.from_warmup && web.monitored >= 1900);
    CHECK_NEAR(web.baseline_nps, 30.0, 6.0);
    CHECK(web.h == web.h && web.h > 0.0 && web.detection_arl > 0.0);
    CHECK_EQ_U64(app.responses + app.missing + web.responses + web.missing + N / 101 + 1, N);

    char *json = NULL;
    CHECK_OK(nps_monitoring_to_json(m, &json));
    CHECK(json != NULL && strstr(json, "\"alarms\"") != NULL);
    nps_string_free(json);
    nps_monitoring_free(m);
}

/* ---------------------------------------------------------------------------------------------
 * Stream: row by row gives the batch's alarms; so does a stream saved and resumed.
 * ------------------------------------------------------------------------------------------- */

static void same_alarms(const alarm_list *a, const alarm_list *b) {
    CHECK_EQ_U64(a->n, b->n);
    for (size_t i = 0; i < a->n && i < b->n; i++) CHECK(same_alarm(&a->alarms[i], &b->alarms[i]));
}

static void stream(const alarm_list *batch_alarms) {
    nps_monitor_options o = options();
    nps_monitor *m = NULL;
    alarm_list got = {0};
    CHECK_OK(nps_monitor_new(&o, &m));
    observe(m, 0, N, &got);
    same_alarms(batch_alarms, &got);
    uint64_t position = 0;
    CHECK_OK(nps_monitor_position(m, &position));
    CHECK_EQ_U64(position, N);

    bool found = false;
    nps_touchpoint_state s;
    CHECK_OK(nps_monitor_state(m, "app", &found, &s));
    CHECK(found && strcmp(s.touchpoint, "app") == 0 && s.alarms == got.n);
    CHECK_OK(nps_monitor_state(m, "fax", &found, &s));
    CHECK(!found);
    nps_monitor_free(m);
}

static void resume(const alarm_list *batch_alarms) {
    nps_monitor_options o = options();
    nps_monitor *m = NULL, *again = NULL;
    alarm_list got = {0};
    CHECK_OK(nps_monitor_new(&o, &m));
    /* Stop mid-run: the app is past its warm-up and the outage has begun. */
    size_t stop = drop_row + 51;
    observe(m, 0, stop, &got);
    char *json = NULL;
    CHECK_OK(nps_monitor_to_json(m, &json));
    nps_monitor_free(m);
    CHECK_OK(nps_monitor_from_json(json, &again));
    nps_string_free(json);
    if (again == NULL) return;
    uint64_t position = 0;
    CHECK_OK(nps_monitor_position(again, &position));
    CHECK_EQ_U64(position, stop);
    observe(again, stop, N, &got);
    same_alarms(batch_alarms, &got);
    nps_monitor_free(again);
}

/* ---------------------------------------------------------------------------------------------
 * Given baselines, and setting one later
 * ------------------------------------------------------------------------------------------- */

static void baselines(void) {
    nps_monitor_options o = options();
    o.baselines = "{\"app\": {\"kind\": \"shares\", \"promoters\": 0.5, \"detractors\": 0.2}}";
    o.baseline = "{\"kind\": \"nps\", \"nps\": 30, \"sd\": 78.10249675906654}";
    nps_monitoring *r = NULL;
    CHECK_OK(nps_monitor_columns(touchpoints, scores, times, N, &o, &r));
    nps_touchpoint_state app, web;
    CHECK_OK(nps_monitoring_touchpoint(r, 0, &app));
    CHECK_OK(nps_monitoring_touchpoint(r, 1, &web));
    /* Nothing to warm up: every answered response is monitored. */
    CHECK(app.has_chart && !app.from_warmup && app.warmup_n == 0);
    CHECK_EQ_U64(app.monitored, app.responses);
    CHECK_NEAR(app.baseline_nps, 30.0, 1e-9);
    CHECK_NEAR(web.promoters, 0.5, 1e-9); /* sd = 100·sqrt(0.7 - 0.09) */
    CHECK_NEAR(web.detractors, 0.2, 1e-9);
    size_t n = 0;
    CHECK_OK(nps_monitoring_len(r, &n));
    CHECK(n >= 1);
    nps_alarm a;
    CHECK_OK(nps_monitoring_alarm(r, 0, &a));
    CHECK(strcmp(a.touchpoint, "app") == 0 && a.index >= drop_row);
    /* With the baseline given, the change's bounds are the run's interval minus it. */
    CHECK_NEAR(a.drop_low, a.low - 30.0, 1e-9);
    nps_monitoring_free(r);

    /* A streaming monitor: set a baseline for a new touchpoint, then forget it. */
    nps_monitor *m = NULL;
    nps_monitor_options d;
    CHECK_OK(nps_monitor_options_default(&d));
    CHECK_OK(nps_monitor_new(&d, &m));
    CHECK_OK(nps_monitor_set_baseline(
        m, "branch", "{\"kind\": \"shares\", \"promoters\": 0.6, \"detractors\": 0.1}"));
    bool found = false;
    nps_touchpoint_state s;
    CHECK_OK(nps_monitor_state(m, "branch", &found, &s));
    CHECK(found && s.has_chart && !s.from_warmup && strcmp(s.touchpoint, "branch") == 0);
    CHECK_NEAR(s.baseline_nps, 50.0, 1e-9);
    bool alarmed = true;
    CHECK_OK(nps_monitor_observe(m, "branch", 0.0, T0, &alarmed, NULL));
    CHECK(!alarmed);
    CHECK_OK(nps_monitor_state(m, "branch", &found, &s));
    CHECK(s.cusum > 0.0 && s.monitored == 1);
    CHECK_OK(nps_monitor_rebaseline(m, "branch"));
    CHECK_OK(nps_monitor_rebaseline(m, "never named")); /* nothing to do */
    CHECK_OK(nps_monitor_state(m, "branch", &found, &s));
    CHECK(found && !s.has_chart && s.cusum == 0.0 && isnan(s.h));
    nps_monitor_free(m);

    /* An estimated baseline with a guarantee: the same warm-up, a higher threshold. */
    double h[2] = {NAN, NAN};
    for (int g = 0; g < 2; g++) {
        nps_monitor_options o = options();
        o.warmup = 200;
        o.guarantee = g ? 0.9 : NAN;
        m = NULL;
        CHECK_OK(nps_monitor_new(&o, &m));
        for (int i = 0; i < 200; i++) {
            CHECK_OK(nps_monitor_observe(m, "web", (double)(i % 10 + 1), T0 + i, &alarmed, NULL));
        }
        CHECK_OK(nps_monitor_state(m, "web", &found, &s));
        CHECK(found && s.has_chart && s.from_warmup && s.warmup_n == 200);
        h[g] = s.h;
        nps_monitor_free(m);
    }
    CHECK(h[1] > h[0] * 1.05);
}

/* ---------------------------------------------------------------------------------------------
 * Bad input
 * ------------------------------------------------------------------------------------------- */

static void bad_options(void) {
    const char *tp[] = {"app"};
    const double sc[] = {9.0};
    const int64_t tm[] = {T0};
    nps_monitoring *r = NULL;
    nps_monitor *m = NULL;
    nps_monitor_options o;

    o = options();
    o.arl0 = 1.0;
    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 1, &o, &r), NPS_ERR_INVALID_ARGUMENT, "arl0 is 1;");
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "arl0 is 1;");
    o.arl0 = 0.5;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "arl0 is 0.5;");
    o.arl0 = NAN;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "arl0 is NaN;");

    o = options();
    o.shift_points = -5.0;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "shift is -5 points");
    o.shift_points = 250.0;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "shift is 250 points");
    o.shift_points = NAN;
    o.shift_sd = -0.5;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "shift is -0.5 sd");
    o.shift_sd = NAN;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT,
              "shift is shift_points NaN and shift_sd NaN");
    o.shift_points = 10.0;
    o.shift_sd = 0.5;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "not both");
    o.shift_points = NAN; /* shift_sd alone is fine */
    CHECK_OK(nps_monitor_new(&o, &m));
    nps_monitor_free(m);
    m = NULL;

    o = options();
    o.guarantee = 1.5;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "guarantee is 1.5;");
    o.guarantee = 0.0;
    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 1, &o, &r), NPS_ERR_INVALID_ARGUMENT,
              "guarantee is 0;");

    o = options();
    o.warmup = 0;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "warmup is 0;");
    o = options();
    o.level = 1.5;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_LEVEL, "1.5");
    o = options();
    o.scale.detractor_max = 9;
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_SCALE, "cut-points");

    o = options();
    o.baseline = "{\"kind\": \"shares\", \"promoters\": 0.8, \"detractors\": 0.5}";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "baseline is promoters");
    o.baseline = "{\"kind\": \"shares\", \"promoters\": 1.0, \"detractors\": 0.0}"; /* no spread */
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "baseline is promoters");
    o.baseline = "{\"promoters\": 0.5}";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_JSON, "not a baseline");
    o.baseline = "not json";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_JSON, "not a baseline");
    o.baseline = "\xff";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_UTF8, "baseline is not valid UTF-8");
    o.baseline = NULL;
    o.baselines = "{\"app\": {\"kind\": \"nps\", \"nps\": 120, \"sd\": 50}}";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_ARGUMENT, "for touchpoint \"app\"");
    o.baselines = "[1, 2]";
    CHECK_ERR(nps_monitor_new(&o, &m), NPS_ERR_INVALID_JSON, "baselines by touchpoint");
    CHECK(m == NULL && r == NULL); /* nothing written on failure */
}

static void bad_rows(void) {
    const char *tp[] = {"app", "app", "web", "app", "web", "app"};
    double sc[] = {9.0, 10.0, 3.0, 7.0, 8.0, 11.0};
    int64_t tm[] = {T0, T0 + 60, T0 + 60, T0 + 120, T0 + 180, T0 + 240};
    nps_monitoring *r = NULL;

    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 6, NULL, &r), NPS_ERR_INVALID_SCORE,
              "score at index 5 is 11");
    sc[5] = 7.5;
    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 6, NULL, &r), NPS_ERR_INVALID_SCORE,
              "score at index 5 is 7.5");
    sc[5] = 9.0;
    tm[3] = T0 + 30; /* earlier than row 2 */
    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 6, NULL, &r), NPS_ERR_INVALID_ARGUMENT,
              "times is 1735689630 at index 3, earlier than the time before it (1735689660)");
    tm[3] = T0 + 120;
    const char *bad_tp[] = {"app", "\xc3\x28"};
    CHECK_ERR(nps_monitor_columns(bad_tp, sc, tm, 2, NULL, &r), NPS_ERR_INVALID_UTF8,
              "touchpoints[1] is not valid UTF-8");
    CHECK(r == NULL);

    /* NULL pointers: arrays with rows, and the result. */
    CHECK_ERR(nps_monitor_columns(NULL, sc, tm, 6, NULL, &r), NPS_ERR_NULL_POINTER,
              "touchpoints is NULL");
    CHECK_ERR(nps_monitor_columns(tp, NULL, tm, 6, NULL, &r), NPS_ERR_NULL_POINTER,
              "scores is NULL");
    CHECK_ERR(nps_monitor_columns(tp, sc, NULL, 6, NULL, &r), NPS_ERR_NULL_POINTER,
              "times is NULL");
    CHECK_ERR(nps_monitor_columns(tp, sc, tm, 6, NULL, NULL), NPS_ERR_NULL_POINTER,
              "out is NULL");

    /* No rows: no alarms, no touchpoints. */
    CHECK_OK(nps_monitor_columns(NULL, NULL, NULL, 0, NULL, &r));
    size_t n = 99;
    CHECK_OK(nps_monitoring_len(r, &n));
    CHECK_EQ_U64(n, 0);
    nps_alarm a;
    CHECK_ERR(nps_monitoring_alarm(r, 0, &a), NPS_ERR_INVALID_ARGUMENT,
              "i is 0, but there are 0 alarms");
    nps_touchpoint_state s;
    CHECK_ERR(nps_monitoring_touchpoint(r, 3, &s), NPS_ERR_INVALID_ARGUMENT,
              "code is 3, but there are 0 touchpoints");
    CHECK_ERR(nps_monitoring_len(NULL, &n), NPS_ERR_NULL_POINTER, "monitoring is NULL");
    CHECK_ERR(nps_monitoring_len(r, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_monitoring_alarm(r, 0, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    double rate;
    CHECK_ERR(nps_monitoring_false_alarm_rate(NULL, &rate), NPS_ERR_NULL_POINTER,
              "monitoring is NULL");
    CHECK_ERR(nps_monitoring_to_json(r, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    nps_monitoring_free(r);
}

static void bad_stream(void) {
    nps_monitor *m = NULL;
    CHECK_OK(nps_monitor_new(NULL, &m));
    bool alarmed = true;
    nps_alarm a;
    CHECK_OK(nps_monitor_observe(m, "app", 9.0, T0 + 100, &alarmed, &a));
    CHECK(!alarmed);
    CHECK_OK(nps_monitor_observe(m, NULL, 3.0, T0 + 100, &alarmed, NULL)); /* no touchpoint */
    CHECK_OK(nps_monitor_observe(m, "app", NAN, T0 + 100, &alarmed, NULL)); /* not answered */
    CHECK_ERR(nps_monitor_observe(m, "app", 11.0, T0 + 200, &alarmed, NULL),
              NPS_ERR_INVALID_SCORE, "score at index 3 is 11");
    CHECK_ERR(nps_monitor_observe(m, "web", -1.0, T0 + 200, &alarmed, NULL),
              NPS_ERR_INVALID_SCORE, "score at index 3 is -1");
    CHECK_ERR(nps_monitor_observe(m, "app", 9.0, T0 + 50, &alarmed, NULL),
              NPS_ERR_INVALID_ARGUMENT,
              "time is 1735689650 at index 3, earlier than the time before it (1735689700)");
    CHECK_ERR(nps_monitor_observe(m, "\xff", 9.0, T0 + 200, &alarmed, NULL), NPS_ERR_INVALID_UTF8,
              "touchpoint is not valid UTF-8");
    CHECK_ERR(nps_monitor_observe(NULL, "app", 9.0, T0 + 200, &alarmed, NULL),
              NPS_ERR_NULL_POINTER, "monitor is NULL");
    CHECK_ERR(nps_monitor_observe(m, "app", 9.0, T0 + 200, NULL, NULL), NPS_ERR_NULL_POINTER,
              "alarmed is NULL");
    /* Nothing changed on error: still 3 responses, and "web" (whose score was bad) unknown. */
    uint64_t position = 0;
    CHECK_OK(nps_monitor_position(m, &position));
    CHECK_EQ_U64(position, 3);
    bool found = true;
    nps_touchpoint_state s;
    CHECK_OK(nps_monitor_state(m, "web", &found, &s));
    CHECK(!found);
    CHECK_OK(nps_monitor_state(m, "app", &found, &s));
    CHECK(found && s.responses == 1 && s.missing == 1 && !s.has_chart && s.warmup_n == 1);
    CHECK_ERR(nps_monitor_state(m, "app", NULL, &s), NPS_ERR_NULL_POINTER, "found is NULL");
    CHECK_ERR(nps_monitor_state(m, NULL, &found, &s), NPS_ERR_NULL_POINTER, "touchpoint is NULL");

    CHECK_ERR(nps_monitor_set_baseline(m, "app", "{\"kind\": \"nps\", \"nps\": 0, \"sd\": 0}"),
              NPS_ERR_INVALID_ARGUMENT, "baseline is NPS");
    CHECK_ERR(nps_monitor_set_baseline(m, "app", "[]"), NPS_ERR_INVALID_JSON, "not a baseline");
    CHECK_ERR(nps_monitor_set_baseline(m, NULL, "{}"), NPS_ERR_NULL_POINTER, "touchpoint is NULL");
    CHECK_ERR(nps_monitor_set_baseline(m, "app", NULL), NPS_ERR_NULL_POINTER, "baseline is NULL");
    CHECK_ERR(nps_monitor_rebaseline(NULL, "app"), NPS_ERR_NULL_POINTER, "monitor is NULL");
    CHECK_ERR(nps_monitor_position(m, NULL), NPS_ERR_NULL_POINTER, "out is NULL");

    /* JSON: a saved state reads back; text that is not a monitor does not. */
    char *json = NULL;
    CHECK_ERR(nps_monitor_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "monitor is NULL");
    CHECK_ERR(nps_monitor_to_json(m, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    nps_monitor *back = NULL;
    CHECK_ERR(nps_monitor_from_json("{\"tracks\": 3}", &back), NPS_ERR_INVALID_JSON,
              "not a valid monitor");
    CHECK_ERR(nps_monitor_from_json("[", &back), NPS_ERR_INVALID_JSON, "not a valid monitor");
    CHECK_ERR(nps_monitor_from_json(NULL, &back), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_monitor_from_json("{}", NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK(back == NULL);
    /* A state whose C is above its threshold is impossible. */
    CHECK_OK(nps_monitor_set_baseline(
        m, "app", "{\"kind\": \"shares\", \"promoters\": 0.5, \"detractors\": 0.2}"));
    CHECK_OK(nps_monitor_to_json(m, &json));
    char *c = json ? strstr(json, "\"cusum\":0.0") : NULL;
    CHECK(c != NULL);
    if (c != NULL) {
        memcpy(c, "\"cusum\":9e9", 11);
        CHECK_ERR(nps_monitor_from_json(json, &back), NPS_ERR_INVALID_JSON, "C above h");
    }
    nps_string_free(json);
    CHECK_ERR(nps_monitor_new(NULL, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_monitor_options_default(NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    nps_monitor_free(m);

    /* Freeing NULL does nothing. */
    nps_monitor_free(NULL);
    nps_monitoring_free(NULL);
}

int main(void) {
    make_stream();
    alarm_list batch_alarms = {0};
    batch(&batch_alarms);
    stream(&batch_alarms);
    resume(&batch_alarms);
    baselines();
    bad_options();
    bad_rows();
    bad_stream();
    CHECK_DONE();
}
