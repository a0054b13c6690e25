/*
 * Alerts through the C ABI: a small batch whose call-back queue is worked out by hand
 * (priorities, owners, due times, merging), the same responses streamed through an alerter
 * (also saved to JSON and read back mid-stream), the call-back outcomes, and every bad input
 * with its status and message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2025-03-01T00:00:00Z and one hour, in seconds. */
#define T0 1740787200LL
#define H 3600LL

static const char *const POLICY =
    "{\"merge_window_hours\": 24,"
    " \"departments\": {\"claims\": \"理赔部\", \"app\": \"数字渠道部\"},"
    " \"default_owner\": \"客户服务部\","
    " \"rules\": ["
    "  {\"name\": \"crisis\", \"when\": {\"keywords\": [\"投诉\", \"律师\", \"媒体\", \"退保\"]},"
    "   \"priority\": 1, \"owner\": \"危机处理小组\", \"service_level_hours\": 2},"
    "  {\"name\": \"upload\", \"when\": {\"touchpoints\": [\"app\"], \"keywords\": [\"上传失败\", \"闪退\"]},"
    "   \"priority\": 2, \"service_level_hours\": 4},"
    "  {\"name\": \"vip\", \"when\": {\"category\": [\"detractor\"], \"min_value\": 8000},"
    "   \"priority\": 2, \"owner\": \"VIP组\", \"service_level_hours\": 4},"
    "  {\"name\": \"drop\", \"when\": {\"drop\": 4}, \"priority\": 2, \"service_level_hours\": 8},"
    "  {\"name\": \"detractor\", \"when\": {\"category\": [\"detractor\"]}, \"priority\": 3,"
    "   \"service_level_hours\": 24}]}";

/* The batch, in input order (not time order: row 4 is the earliest, row 5 the latest). */
static const int64_t AT[] = {T0 + 1 * H, T0 + 2 * H, T0 + 3 * H, T0 + 5 * H,
                             T0,         T0 + 30 * H, T0 + 6 * H, T0 + 7 * H};
static const char *const CUSTOMERS[] = {"C1", "C2", "C3", "C1", "C4", "C1", "C5", "C2"};
static const char *const TOUCHPOINTS[] = {"claims", "app", "web", "claims",
                                          NULL,     "claims", "claims", "app"};
static const double SCORES[] = {3, 8, 5, 2, 9, 4, NAN, 1};
static const double PREVIOUS[] = {NAN, NAN, 10, NAN, NAN, NAN, NAN, NAN};
static const double VALUE[] = {1000, NAN, 9000, 1000, NAN, 1000, NAN, NAN};
static const char *const COMMENTS[] = {NULL,  "App上传失败了", "", "我要投诉，找媒体",
                                       NULL,  NULL,            "律师函已发", "又闪退"};

/* The queue worked out by hand. In time order: row 4 (a promoter) raises nothing; row 0 opens
 * alert 1 (C1, detractor: P3, 理赔部 by department, due +24 h); row 1 opens 2 (C2, upload: P2,
 * 数字渠道部 by department, due +4 h); row 2 opens 3 (C3: vip, drop and detractor fire; P2 from
 * vip and drop, the owner of vip (first in policy order), due +4 h from vip); row 3 is merged
 * into 1 (4 h after its creation, inside the 24 h window: crisis raises it to P1, 危机处理小组,
 * due 5 h + 2 h); row 6 opens 4 (C5, no score, crisis); row 7 is merged into 2 (upload and
 * detractor: P2 stays, due stays 2 h + 4 h); row 5 opens 5 (C1 again, 29 h after alert 1: a new
 * alert, P3, due 30 h + 24 h). Queue order: priority, due time, id. */
typedef struct {
    uint64_t id;
    const char *customer, *touchpoint, *owner;
    unsigned priority;
    int64_t created_at, due_at;
    double score;
    const char *rules[3];
    size_t n_rules;
    uint64_t responses[2];
    size_t n_responses;
} expected_alert;

static const expected_alert EXPECTED[] = {
    {1, "C1", "claims", "危机处理小组", 1, T0 + 1 * H, T0 + 7 * H, 3, {"detractor", "crisis"}, 2,
     {0, 3}, 2},
    {4, "C5", "claims", "危机处理小组", 1, T0 + 6 * H, T0 + 8 * H, NAN, {"crisis"}, 1, {6}, 1},
    {2, "C2", "app", "数字渠道部", 2, T0 + 2 * H, T0 + 6 * H, 8, {"upload", "detractor"}, 2,
     {1, 7}, 2},
    {3, "C3", "web", "VIP组", 2, T0 + 3 * H, T0 + 7 * H, 5, {"vip", "drop", "detractor"}, 3, {2}, 1},
    {5, "C1", "claims", "理赔部", 3, T0 + 30 * H, T0 + 54 * H, 4, {"detractor"}, 1, {5}, 1},
};

static nps_alert_policy *make_policy(const char *json) {
    nps_alert_policy *p = NULL;
    CHECK_OK(nps_alert_policy_from_json(json, &p));
    return p;
}

static nps_alert_responses batch(void) {
    nps_alert_responses r = {0};
    r.n = LEN(AT);
    r.at = AT;
    r.customers = CUSTOMERS;
    r.touchpoints = TOUCHPOINTS;
    r.scores = SCORES;
    r.previous = PREVIOUS;
    r.value = VALUE;
    r.comments = COMMENTS;
    return r;
}

static int same_text(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* An alert equals what was worked out by hand (except the response positions). */
static void check_alert(const nps_alert *a, const expected_alert *e) {
    CHECK_EQ_U64(a->id, e->id);
    CHECK(same_text(a->customer, e->customer));
    CHECK(same_text(a->touchpoint, e->touchpoint));
    CHECK(same_text(a->owner, e->owner));
    CHECK_EQ_U64(a->priority, e->priority);
    CHECK(a->created_at == e->created_at);
    CHECK(a->due_at == e->due_at);
    CHECK(isnan(e->score) ? isnan(a->score) : a->score == e->score);
    CHECK_EQ_U64(a->n_rules, e->n_rules);
    CHECK_EQ_U64(a->n_responses, e->n_responses);
}

static void hand_checked_queue(void) {
    nps_alert_policy *p = make_policy(POLICY);
    nps_alert_responses r = batch();
    nps_alert_queue *q = NULL;
    CHECK_OK(nps_alerts_evaluate(p, &r, &q));
    size_t len = 0;
    CHECK_OK(nps_alert_queue_len(q, &len));
    CHECK_EQ_U64(len, LEN(EXPECTED));
    for (size_t i = 0; i < len && i < LEN(EXPECTED); i++) {
        nps_alert a;
        CHECK_OK(nps_alert_queue_get(q, i, &a));
        check_alert(&a, &EXPECTED[i]);
        for (size_t k = 0; k < EXPECTED[i].n_rules; k++) {
            const char *rule = NULL;
            CHECK_OK(nps_alert_queue_rule(q, i, k, &rule));
            CHECK(same_text(rule, EXPECTED[i].rules[k]));
        }
        for (size_t k = 0; k < EXPECTED[i].n_responses; k++) {
            uint64_t position = 99;
            CHECK_OK(nps_alert_queue_response(q, i, k, &position));
            CHECK_EQ_U64(position, EXPECTED[i].responses[k]);
        }
    }

    /* Out of range: named, nothing written. */
    nps_alert a = {.id = 77};
    const char *rule = NULL;
    uint64_t position = 77;
    CHECK_ERR(nps_alert_queue_get(q, 5, &a), NPS_ERR_INVALID_ARGUMENT,
              "i is 5, but there are 5 alerts (0..5)");
    CHECK_ERR(nps_alert_queue_rule(q, 3, 3, &rule), NPS_ERR_INVALID_ARGUMENT,
              "r is 3, but there are 3 rules (0..3)");
    CHECK_ERR(nps_alert_queue_response(q, 0, 2, &position), NPS_ERR_INVALID_ARGUMENT,
              "k is 2, but there are 2 responses (0..2)");
    CHECK(a.id == 77 && rule == NULL && position == 77);

    /* JSON round trip of the queue and the policy. */
    char *json = NULL;
    nps_alert_queue *back = NULL;
    CHECK_OK(nps_alert_queue_to_json(q, &json));
    CHECK(json != NULL && strstr(json, "\"owner\":\"危机处理小组\"") != NULL);
    CHECK_OK(nps_alert_queue_from_json(json, &back));
    size_t back_len = 0;
    CHECK_OK(nps_alert_queue_len(back, &back_len));
    CHECK_EQ_U64(back_len, len);
    if (back_len == LEN(EXPECTED)) {
        CHECK_OK(nps_alert_queue_get(back, 3, &a));
        check_alert(&a, &EXPECTED[3]);
    }
    nps_string_free(json);
    nps_alert_queue_free(back);
    CHECK_OK(nps_alert_policy_to_json(p, &json));
    nps_alert_policy *p2 = NULL;
    CHECK_OK(nps_alert_policy_from_json(json, &p2));
    CHECK(json != NULL && strstr(json, "\"name\": \"crisis\"") != NULL);
    nps_string_free(json);
    nps_alert_policy_free(p2);

    /* Without the optional columns: no drop (no previous) and no vip (no value) for C3, no
     * keyword rule without comments. */
    r.previous = NULL;
    r.value = NULL;
    r.comments = NULL;
    r.touchpoints = NULL;
    nps_alert_queue *plain = NULL;
    CHECK_OK(nps_alerts_evaluate(p, &r, &plain));
    CHECK_OK(nps_alert_queue_len(plain, &len));
    CHECK_EQ_U64(len, 4); /* detractors only: C1 (rows 0 and 3), C3, C2 (row 7), C1 (row 5) */
    CHECK_OK(nps_alert_queue_get(plain, 0, &a));
    CHECK(same_text(a.owner, "客户服务部") && a.touchpoint == NULL && a.priority == 3);
    nps_alert_queue_free(plain);

    nps_alert_queue_free(q);
    nps_alert_policy_free(p);
}

/* A copy of the last version of an alert the alerter reported (its strings are lent only until
 * the next push). */
typedef struct {
    nps_alert a;
    char customer[16], touchpoint[16], owner[32], rules[3][16];
} alert_copy;

static void copy_alert(const nps_alerter *s, const nps_alert *a, alert_copy *c) {
    c->a = *a;
    snprintf(c->customer, sizeof c->customer, "%s", a->customer);
    snprintf(c->touchpoint, sizeof c->touchpoint, "%s", a->touchpoint ? a->touchpoint : "");
    snprintf(c->owner, sizeof c->owner, "%s", a->owner);
    for (size_t r = 0; r < a->n_rules && r < 3; r++) {
        const char *rule = NULL;
        CHECK_OK(nps_alerter_rule(s, r, &rule));
        snprintf(c->rules[r], sizeof c->rules[r], "%s", rule ? rule : "");
    }
    c->a.customer = c->customer;
    c->a.touchpoint = a->touchpoint ? c->touchpoint : NULL;
    c->a.owner = c->owner;
}

static void stream_equals_batch(void) {
    nps_alert_policy *p = make_policy(POLICY);
    nps_alerter *s = NULL;
    CHECK_OK(nps_alerter_new(p, &s));
    nps_alert_policy_free(p); /* the alerter keeps its own copy */

    const char *rule = NULL;
    CHECK_ERR(nps_alerter_rule(s, 0, &rule), NPS_ERR_EMPTY, "the alerter has reported no alert");

    /* The rows in time order (ties would keep input order), with the event each must give. */
    const size_t order[] = {4, 0, 1, 2, 3, 6, 7, 5};
    const nps_alert_event events[] = {NPS_ALERT_NONE,   NPS_ALERT_OPENED, NPS_ALERT_OPENED,
                                      NPS_ALERT_OPENED, NPS_ALERT_MERGED, NPS_ALERT_OPENED,
                                      NPS_ALERT_MERGED, NPS_ALERT_OPENED};
    alert_copy last[6]; /* by id */
    memset(last, 0, sizeof last);
    for (size_t k = 0; k < LEN(order); k++) {
        size_t i = order[k];
        nps_alert_event event = (nps_alert_event)99;
        nps_alert a;
        CHECK_OK(nps_alerter_push(s, AT[i], CUSTOMERS[i], TOUCHPOINTS[i], SCORES[i], PREVIOUS[i],
                                  VALUE[i], COMMENTS[i], &event, &a));
        CHECK(event == events[k]);
        if (event != NPS_ALERT_NONE && a.id < 6) copy_alert(s, &a, &last[a.id]);
    }
    for (size_t e = 0; e < LEN(EXPECTED); e++) {
        const alert_copy *c = &last[EXPECTED[e].id];
        check_alert(&c->a, &EXPECTED[e]);
        for (size_t r = 0; r < EXPECTED[e].n_rules; r++) {
            CHECK(strcmp(c->rules[r], EXPECTED[e].rules[r]) == 0);
        }
    }

    /* Out of order: refused, nothing changes; the next push in order still works. */
    nps_alert_event event = NPS_ALERT_OPENED;
    CHECK_ERR(nps_alerter_push(s, T0 + 29 * H, "C9", "claims", 0, NAN, NAN, NULL, &event, NULL),
              NPS_ERR_INVALID_ARGUMENT,
              "at is 1740891600 at index 8, earlier than the previous response's 1740895200");
    CHECK(event == NPS_ALERT_OPENED);
    nps_alert a;
    CHECK_OK(nps_alerter_push(s, T0 + 30 * H, "C9", "claims", 0, NAN, NAN, NULL, &event, &a));
    CHECK(event == NPS_ALERT_OPENED);
    CHECK_EQ_U64(a.id, 6);
    nps_alerter_free(s);
}

/* `s` with the first `from` replaced by `to`, a new string (NULL when `from` is absent). */
static char *replaced(const char *s, const char *from, const char *to) {
    const char *at = s ? strstr(s, from) : NULL;
    if (at == NULL) return NULL;
    size_t head = (size_t)(at - s), n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    if (out == NULL) return NULL;
    snprintf(out, n, "%.*s%s%s", (int)head, s, to, at + strlen(from));
    return out;
}

/* Saved to JSON after any number of pushes and read back (the original freed, as after a
 * restart), the alerter gives the same events and alerts as an uninterrupted run. */
static void stream_resumes_from_json(void) {
    nps_alert_policy *p = make_policy(POLICY);
    const size_t order[] = {4, 0, 1, 2, 3, 6, 7, 5};
    enum { N = LEN(order) };
    nps_alert_event events[N];
    alert_copy whole[N];
    memset(whole, 0, sizeof whole);
    nps_alerter *s = NULL;
    CHECK_OK(nps_alerter_new(p, &s));
    for (size_t k = 0; k < N; k++) {
        size_t i = order[k];
        nps_alert a;
        CHECK_OK(nps_alerter_push(s, AT[i], CUSTOMERS[i], TOUCHPOINTS[i], SCORES[i], PREVIOUS[i],
                                  VALUE[i], COMMENTS[i], &events[k], &a));
        if (events[k] != NPS_ALERT_NONE) copy_alert(s, &a, &whole[k]);
    }
    nps_alerter_free(s);

    for (size_t cut = 0; cut <= N; cut++) {
        nps_alerter *first = NULL, *resumed = NULL;
        CHECK_OK(nps_alerter_new(p, &first));
        nps_alert_event event;
        for (size_t k = 0; k < cut; k++) {
            size_t i = order[k];
            CHECK_OK(nps_alerter_push(first, AT[i], CUSTOMERS[i], TOUCHPOINTS[i], SCORES[i],
                                      PREVIOUS[i], VALUE[i], COMMENTS[i], &event, NULL));
            CHECK(event == events[k]);
        }
        char *json = NULL;
        CHECK_OK(nps_alerter_to_json(first, &json));
        nps_alerter_free(first);
        CHECK_OK(nps_alerter_from_json(json, &resumed));
        nps_string_free(json);
        if (resumed == NULL) continue;
        const char *rule = NULL;
        CHECK_ERR(nps_alerter_rule(resumed, 0, &rule), NPS_ERR_EMPTY, "no alert yet");
        for (size_t k = cut; k < N; k++) {
            size_t i = order[k];
            nps_alert a;
            event = (nps_alert_event)99;
            CHECK_OK(nps_alerter_push(resumed, AT[i], CUSTOMERS[i], TOUCHPOINTS[i], SCORES[i],
                                      PREVIOUS[i], VALUE[i], COMMENTS[i], &event, &a));
            CHECK(event == events[k]);
            if (event == NPS_ALERT_NONE || events[k] == NPS_ALERT_NONE) continue;
            alert_copy c;
            copy_alert(resumed, &a, &c);
            const alert_copy *w = &whole[k];
            CHECK_EQ_U64(c.a.id, w->a.id);
            CHECK_EQ_U64(c.a.priority, w->a.priority);
            CHECK(c.a.created_at == w->a.created_at && c.a.due_at == w->a.due_at);
            CHECK_EQ_U64(c.a.n_rules, w->a.n_rules);
            CHECK_EQ_U64(c.a.n_responses, w->a.n_responses);
            CHECK(strcmp(c.customer, w->customer) == 0 && strcmp(c.owner, w->owner) == 0);
            for (size_t r = 0; r < w->a.n_rules && r < 3; r++) {
                CHECK(strcmp(c.rules[r], w->rules[r]) == 0);
            }
        }
        /* Out of order after the last response: still refused. */
        if (cut == N) {
            CHECK_ERR(nps_alerter_push(resumed, T0, "C9", "claims", 0, NAN, NAN, NULL, &event,
                                       NULL),
                      NPS_ERR_INVALID_ARGUMENT, "at index 8, earlier than the previous");
        }
        nps_alerter_free(resumed);
    }

    /* Bad text is refused, nothing written: not JSON, not an alerter, a state the alerter could
     * not have reached, a NUL in a text it would lend. */
    nps_alerter *s5 = NULL, *back = NULL;
    CHECK_OK(nps_alerter_new(p, &s5));
    for (size_t k = 0; k < 5; k++) {
        size_t i = order[k];
        nps_alert_event event;
        CHECK_OK(nps_alerter_push(s5, AT[i], CUSTOMERS[i], TOUCHPOINTS[i], SCORES[i], PREVIOUS[i],
                                  VALUE[i], COMMENTS[i], &event, NULL));
    }
    char *json = NULL;
    CHECK_OK(nps_alerter_to_json(s5, &json));
    CHECK(json != NULL && strstr(json, "\"pushed\":5") != NULL);
    CHECK(json != NULL && strstr(json, "\"next_id\":4") != NULL);
    CHECK_ERR(nps_alerter_from_json("{not json", &back), NPS_ERR_INVALID_JSON,
              "not a valid alerter");
    CHECK_ERR(nps_alerter_from_json("[]", &back), NPS_ERR_INVALID_JSON, "not a valid alerter");
    CHECK_ERR(nps_alerter_from_json("{\"policy\": 3}", &back), NPS_ERR_INVALID_JSON,
              "not a valid alerter");
    char *behind = replaced(json, "\"pushed\":5", "\"pushed\":2");
    CHECK(behind != NULL);
    if (behind) {
        CHECK_ERR(nps_alerter_from_json(behind, &back), NPS_ERR_INVALID_JSON,
                  "below the 2 responses pushed");
    }
    free(behind);
    char *reused = replaced(json, "\"next_id\":4", "\"next_id\":2");
    CHECK(reused != NULL);
    if (reused) {
        CHECK_ERR(nps_alerter_from_json(reused, &back), NPS_ERR_INVALID_JSON,
                  "id not below next_id 2");
    }
    free(reused);
    char *nul = replaced(json, "\"touchpoint\":\"claims\"", "\"touchpoint\":\"cl\\u0000aims\"");
    CHECK(nul != NULL);
    if (nul) {
        CHECK_ERR(nps_alerter_from_json(nul, &back), NPS_ERR_INVALID_ARGUMENT,
                  "a touchpoint contains a NUL byte");
    }
    free(nul);
    CHECK(back == NULL);
    CHECK_ERR(nps_alerter_from_json(NULL, &back), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_alerter_from_json(json, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_alerter_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "alerter is NULL");
    CHECK_ERR(nps_alerter_to_json(s5, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    nps_string_free(json);
    nps_alerter_free(s5);
    nps_alert_policy_free(p);
}

static void callback_outcomes(void) {
    nps_alert_policy *p = make_policy(POLICY);
    nps_alert_responses r = batch();
    nps_alert_queue *q = NULL;
    CHECK_OK(nps_alerts_evaluate(p, &r, &q));

    /* Alert 1 reached in time (5 h, due 6 h after creation), resolved, now a promoter; 2 reached
     * late (8 h, due 4 h); 3 missed once then reached in time (2 h), still a detractor; 4 never
     * called; 5 reached in time (10 h), now a passive. */
    const uint64_t ids[] = {1, 2, 3, 3, 5};
    const int64_t contacted[] = {T0 + 6 * H, T0 + 10 * H, INT64_MIN, T0 + 5 * H, T0 + 40 * H};
    const bool resolved[] = {true, false, false, false, false};
    const double later[] = {9, NAN, NAN, 4, 7};
    nps_callback_report *report = NULL;
    nps_callback_stats s;
    size_t len = 0;
    char *json = NULL;
    CHECK_OK(nps_callback_outcomes(q, LEN(ids), ids, contacted, resolved, later, 0.95, &report));
    CHECK_OK(nps_callback_report_overall(report, &s));
    CHECK(s.name == NULL);
    CHECK_EQ_U64(s.alerts, 5);
    CHECK_EQ_U64(s.contacted, 4);
    CHECK_EQ_U64(s.resolved, 1);
    CHECK_EQ_U64(s.on_time.count, 3);
    CHECK_EQ_U64(s.on_time.n, 5);
    CHECK_NEAR(s.on_time.share, 0.6, 1e-15);
    /* Wilson (1927) at 95 %: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). */
    CHECK_NEAR(s.on_time.low, 0.230724281276013, 1e-12);
    CHECK_NEAR(s.on_time.high, 0.882379225767352, 1e-12);
    /* Hours to contact 2, 5, 8, 10: type 7 median 6.5, 90th percentile 8 + 0.7 * 2. */
    CHECK_NEAR(s.hours_to_contact_p50, 6.5, 1e-12);
    CHECK_NEAR(s.hours_to_contact_p90, 9.4, 1e-12);
    /* Detractor alerts with a later score: 1 (3 → 9), 3 (5 → 4), 5 (4 → 7); 2 recovered. */
    CHECK_EQ_U64(s.recovery.count, 2);
    CHECK_EQ_U64(s.recovery.n, 3);
    CHECK_NEAR(s.recovery.low, 0.207659600802048, 1e-12);
    CHECK_NEAR(s.recovery.high, 0.938508055279604, 1e-12);

    /* Per owner, sorted by name (UTF-8 bytes): VIP组 (alert 3), 危机处理小组 (1 and 4), 数字渠道部
     * (2), 理赔部 (5). Per touchpoint: app (2), claims (1, 4, 5), web (3). */
    typedef struct {
        const char *name;
        uint64_t alerts, contacted, resolved, on_time;
        double p50;
        uint64_t recovered, followed;
    } expected_row;
    const expected_row owners[] = {{"VIP组", 1, 1, 0, 1, 2, 0, 1},
                                   {"危机处理小组", 2, 1, 1, 1, 5, 1, 1},
                                   {"数字渠道部", 1, 1, 0, 0, 8, 0, 0},
                                   {"理赔部", 1, 1, 0, 1, 10, 1, 1}};
    const expected_row touchpoints[] = {{"app", 1, 1, 0, 0, 8, 0, 0},
                                        {"claims", 3, 2, 1, 2, 7.5, 2, 2},
                                        {"web", 1, 1, 0, 1, 2, 0, 1}};
    const struct {
        nps_callback_group group;
        size_t n;
        const expected_row *rows;
    } groups[] = {{NPS_CALLBACKS_BY_OWNER, LEN(owners), owners},
                  {NPS_CALLBACKS_BY_TOUCHPOINT, LEN(touchpoints), touchpoints}};
    for (size_t g = 0; g < LEN(groups); g++) {
        CHECK_OK(nps_callback_report_len(report, groups[g].group, &len));
        CHECK_EQ_U64(len, groups[g].n);
        for (size_t i = 0; i < groups[g].n && i < len; i++) {
            const expected_row *e = &groups[g].rows[i];
            CHECK_OK(nps_callback_report_get(report, groups[g].group, i, &s));
            CHECK(same_text(s.name, e->name));
            CHECK_EQ_U64(s.alerts, e->alerts);
            CHECK_EQ_U64(s.contacted, e->contacted);
            CHECK_EQ_U64(s.resolved, e->resolved);
            CHECK_EQ_U64(s.on_time.count, e->on_time);
            CHECK_EQ_U64(s.on_time.n, e->alerts);
            CHECK_NEAR(s.hours_to_contact_p50, e->p50, 1e-12);
            CHECK_EQ_U64(s.recovery.count, e->recovered);
            CHECK_EQ_U64(s.recovery.n, e->followed);
        }
        CHECK_ERR(nps_callback_report_get(report, groups[g].group, len, &s),
                  NPS_ERR_INVALID_ARGUMENT, "rows (0..");
    }
    CHECK_OK(nps_callback_report_to_json(report, &json));
    CHECK(json != NULL && strstr(json, "\"by_owner\":[{\"name\":\"VIP组\"") != NULL);
    CHECK(json != NULL && strstr(json, "{\"name\":\"危机处理小组\",\"alerts\":2,\"contacted\":1") !=
                              NULL);
    nps_string_free(json);
    json = NULL;
    CHECK_ERR(nps_callback_report_overall(NULL, &s), NPS_ERR_NULL_POINTER, "report is NULL");
    CHECK_ERR(nps_callback_report_len(report, NPS_CALLBACKS_BY_OWNER, NULL), NPS_ERR_NULL_POINTER,
              "out is NULL");
    CHECK_ERR(nps_callback_report_to_json(report, NULL), NPS_ERR_NULL_POINTER,
              "json_out is NULL");
    nps_callback_report_free(report);
    nps_callback_report_free(NULL);

    /* Without records: nothing contacted, no interval for the recovery (NaN), no percentiles. */
    report = NULL;
    CHECK_OK(nps_callback_outcomes(q, 0, NULL, NULL, NULL, NULL, 0.9, &report));
    CHECK_OK(nps_callback_report_overall(report, &s));
    CHECK_EQ_U64(s.on_time.count, 0);
    CHECK_EQ_U64(s.on_time.n, 5);
    CHECK(isnan(s.hours_to_contact_p50) && isnan(s.recovery.share) && s.recovery.n == 0);
    nps_callback_report_free(report);

    /* Bad records: named, nothing written. */
    const uint64_t unknown[] = {1, 99};
    const int64_t early[] = {T0, T0};
    const double off_scale[] = {NAN, 11};
    report = NULL;
    CHECK_ERR(nps_callback_outcomes(q, 2, unknown, contacted, NULL, NULL, 0.95, &report),
              NPS_ERR_UNKNOWN_ALERT,
              "call-back record at index 1 refers to alert \"99\", which is not in the queue");
    CHECK_ERR(nps_callback_outcomes(q, 2, ids, early, NULL, NULL, 0.95, &report),
              NPS_ERR_INVALID_ARGUMENT,
              "contacted_at is 1740787200 in call-back record 0, before alert 1 was created at "
              "1740790800");
    CHECK_ERR(nps_callback_outcomes(q, 2, ids, contacted, NULL, off_scale, 0.95, &report),
              NPS_ERR_INVALID_SCORE, "score at index 1 is 11");
    CHECK_ERR(nps_callback_outcomes(q, 2, ids, contacted, NULL, NULL, 1.5, &report),
              NPS_ERR_INVALID_LEVEL, "confidence level is 1.5");
    CHECK_ERR(nps_callback_outcomes(NULL, 2, ids, contacted, NULL, NULL, 0.95, &report),
              NPS_ERR_NULL_POINTER, "queue is NULL");
    CHECK_ERR(nps_callback_outcomes(q, 2, NULL, contacted, NULL, NULL, 0.95, &report),
              NPS_ERR_NULL_POINTER, "alert_ids is NULL");
    CHECK_ERR(nps_callback_outcomes(q, 2, ids, NULL, NULL, NULL, 0.95, &report),
              NPS_ERR_NULL_POINTER, "contacted_at is NULL");
    CHECK_ERR(nps_callback_outcomes(q, 2, ids, contacted, NULL, NULL, 0.95, NULL),
              NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK(report == NULL);

    nps_alert_queue_free(q);
    nps_alert_policy_free(p);
}

static void bad_policies(void) {
    const struct {
        const char *json;
        nps_status status;
        const char *message;
    } cases[] = {
        {"{\"rules\": [", NPS_ERR_INVALID_JSON, "alert policy \"(policy)\" cannot be read"},
        /* A rule on a field the policy format does not have. */
        {"{\"default_owner\": \"客服\", \"rules\": [{\"name\": \"low\", \"when\": {\"scor\": "
         "{\"max\": 6}}, \"priority\": 1, \"service_level_hours\": 24}]}",
         NPS_ERR_INVALID_POLICY, "alert rule \"low\" cannot be read: unknown field `scor`"},
        {"{\"default_owner\": \"客服\", \"rules\": [{\"name\": \"late\", \"when\": {\"category\": "
         "[\"detractor\"]}, \"priority\": 1, \"service_level_hours\": -2}]}",
         NPS_ERR_INVALID_POLICY, "alert rule \"late\" has a negative service level -2 h"},
        {"{\"default_owner\": \"客服\", \"rules\": [{\"name\": \"regex\", \"when\": {\"pattern\": "
         "\"(退保\"}, \"priority\": 1, \"service_level_hours\": 2}]}",
         NPS_ERR_INVALID_POLICY, "alert rule \"regex\" has an invalid pattern \"(退保\""},
        {"{\"rules\": [{\"name\": \"orphan\", \"when\": {\"category\": [\"detractor\"]}, "
         "\"priority\": 1, \"service_level_hours\": 2}]}",
         NPS_ERR_INVALID_POLICY, "alert rule \"orphan\" has no owner"},
        {"{\"default_owner\": \"客服\", \"rules\": []}", NPS_ERR_INVALID_POLICY,
         "alert policy \"(policy)\" has no rule"},
        {"{\"default_owner\": \"客\\u0000服\", \"rules\": [{\"name\": \"low\", \"when\": "
         "{\"score\": {\"max\": 6}}, \"priority\": 1, \"service_level_hours\": 2}]}",
         NPS_ERR_INVALID_ARGUMENT, "contains a NUL byte"},
    };
    for (size_t i = 0; i < LEN(cases); i++) {
        nps_alert_policy *p = NULL;
        CHECK_ERR(nps_alert_policy_from_json(cases[i].json, &p), cases[i].status,
                  cases[i].message);
        CHECK(p == NULL);
    }
    nps_alert_policy *p = NULL;
    CHECK_ERR(nps_alert_policy_from_json(NULL, &p), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_alert_policy_from_json(POLICY, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK(strcmp(nps_status_name(NPS_ERR_INVALID_POLICY), "NPS_ERR_INVALID_POLICY") == 0);
    CHECK(strcmp(nps_status_name(NPS_ERR_INVALID_TEXT), "NPS_ERR_INVALID_TEXT") == 0);
    CHECK(strcmp(nps_status_name(NPS_ERR_UNKNOWN_ALERT), "NPS_ERR_UNKNOWN_ALERT") == 0);
    CHECK(NPS_ERR_INVALID_POLICY == 21 && NPS_ERR_INVALID_TEXT == 22 && NPS_ERR_UNKNOWN_ALERT == 23);
}

static void bad_batches(void) {
    nps_alert_policy *p = make_policy(POLICY);
    nps_alert_queue *q = NULL;
    nps_alert_responses r = batch();

    /* Text: a comment that is not UTF-8 ("投诉" then a stray byte) is refused under the default
     * policy, read with U+FFFD under "replace" (the keyword still fires); customers and
     * touchpoints are never replaced. */
    const char *bad_comments[] = {NULL, "\xE6\x8A\x95\xE8\xAF\x89\xFF", NULL, NULL,
                                  NULL, NULL,                           NULL, NULL};
    r.comments = bad_comments;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_TEXT,
              "comment at index 1 is not valid UTF-8 (byte 6 of 7)");
    r.utf8_policy = "lenient";
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_UNKNOWN_METHOD,
              "unknown UTF-8 policy \"lenient\"; expected one of error, replace");
    CHECK(q == NULL);
    r.utf8_policy = "replace";
    CHECK_OK(nps_alerts_evaluate(p, &r, &q));
    nps_alert a;
    CHECK_OK(nps_alert_queue_get(q, 0, &a));
    CHECK(same_text(a.customer, "C2") && a.priority == 1); /* crisis on the repaired comment */
    nps_alert_queue_free(q);
    q = NULL;
    r = batch();
    r.utf8_policy = "replace";
    const char *bad_customers[] = {"C1", "C2", "C\xC3", "C1", "C4", "C1", "C5", "C2"};
    r.customers = bad_customers;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_UTF8,
              "customers[2] is not valid UTF-8");
    r = batch();
    const char *bad_touchpoints[] = {"\xFF" "claims", "app", "web", "claims",
                                     NULL,            "claims", "claims", "app"};
    r.touchpoints = bad_touchpoints;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_UTF8,
              "touchpoints[0] is not valid UTF-8");

    /* Values. */
    r = batch();
    const double off_scale[] = {3, 11, 5, 2, 9, 4, NAN, 1};
    const double half[] = {NAN, NAN, 7.5, NAN, NAN, NAN, NAN, NAN};
    const double infinite[] = {1000, NAN, 9000, INFINITY, NAN, 1000, NAN, NAN};
    r.scores = off_scale;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_SCORE,
              "score at index 1 is 11; scores are whole numbers in 0..=10");
    r = batch();
    r.previous = half;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_ARGUMENT,
              "previous is 7.5 at index 2; a whole score on the policy's scale, or NaN for none");
    r = batch();
    r.value = infinite;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_INVALID_ARGUMENT,
              "value is inf at index 3; a finite customer value, or NaN for none");

    /* NULL pointers. */
    r = batch();
    const char *null_customer[] = {"C1", NULL, "C3", "C1", "C4", "C1", "C5", "C2"};
    CHECK_ERR(nps_alerts_evaluate(NULL, &r, &q), NPS_ERR_NULL_POINTER, "policy is NULL");
    CHECK_ERR(nps_alerts_evaluate(p, NULL, &q), NPS_ERR_NULL_POINTER, "responses is NULL");
    CHECK_ERR(nps_alerts_evaluate(p, &r, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    r.customers = NULL;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_NULL_POINTER, "customers is NULL");
    r.customers = null_customer;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_NULL_POINTER,
              "customers[1] is NULL; it must point to a string");
    r = batch();
    r.at = NULL;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_NULL_POINTER, "at is NULL");
    r = batch();
    r.scores = NULL;
    CHECK_ERR(nps_alerts_evaluate(p, &r, &q), NPS_ERR_NULL_POINTER, "scores is NULL");
    CHECK(q == NULL);
    size_t len = 7;
    CHECK_ERR(nps_alert_queue_len(NULL, &len), NPS_ERR_NULL_POINTER, "queue is NULL");
    CHECK(len == 7);
    CHECK_ERR(nps_alert_queue_from_json("{\"alerts\": 1}", &q), NPS_ERR_INVALID_JSON,
              "the JSON text is not a valid alert queue");
    CHECK(q == NULL);

    /* An empty batch is an empty queue. */
    r = batch();
    r.n = 0;
    CHECK_OK(nps_alerts_evaluate(p, &r, &q));
    CHECK_OK(nps_alert_queue_len(q, &len));
    CHECK_EQ_U64(len, 0);
    nps_alert_queue_free(q);
    nps_alert_policy_free(p);
}

/* An empty comment is no comment, as NULL is: a rule that fires on any comment at all (the
 * pattern "^") fires on "好" but on neither "" nor NULL. */
static void empty_comments(void) {
    nps_alert_policy *p = make_policy(
        "{\"default_owner\": \"客服\", \"rules\": [{\"name\": \"commented\", \"when\": "
        "{\"pattern\": \"^\"}, \"priority\": 1, \"service_level_hours\": 1}]}");
    const int64_t at[] = {0, 1, 2};
    const char *customers[] = {"A", "B", "C"};
    const double scores[] = {9, 9, 9};
    const char *comments[] = {"", NULL, "好"};
    nps_alert_responses r = {0};
    r.n = 3;
    r.at = at;
    r.customers = customers;
    r.scores = scores;
    r.comments = comments;
    nps_alert_queue *q = NULL;
    CHECK_OK(nps_alerts_evaluate(p, &r, &q));
    size_t len = 0;
    CHECK_OK(nps_alert_queue_len(q, &len));
    CHECK_EQ_U64(len, 1);
    nps_alert a;
    CHECK_OK(nps_alert_queue_get(q, 0, &a));
    CHECK(same_text(a.customer, "C"));
    nps_alert_queue_free(q);

    nps_alerter *s = NULL;
    nps_alert_event event;
    CHECK_OK(nps_alerter_new(p, &s));
    CHECK_OK(nps_alerter_push(s, 0, "A", "", 9, NAN, NAN, "", &event, NULL));
    CHECK(event == NPS_ALERT_NONE);
    CHECK_OK(nps_alerter_push(s, 1, "C", NULL, 9, NAN, NAN, "好", &event, &a));
    CHECK(event == NPS_ALERT_OPENED && a.touchpoint == NULL);
    nps_alerter_free(s);
    nps_alert_policy_free(p);
}

static void bad_pushes(void) {
    nps_alert_policy *p = make_policy(POLICY);
    nps_alerter *s = NULL;
    CHECK_OK(nps_alerter_new(p, &s));
    nps_alert_event event = (nps_alert_event)99;
    nps_alert a = {.id = 77};

    CHECK_OK(nps_alerter_push(s, 200, "C1", "app", 9, NAN, NAN, NULL, &event, &a));
    CHECK(event == NPS_ALERT_NONE && a.id == 77); /* no alert: *out_alert untouched */
    event = (nps_alert_event)99;
    CHECK_ERR(nps_alerter_push(s, 100, "C1", "app", 0, NAN, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_ARGUMENT,
              "at is 100 at index 1, earlier than the previous response's 200; responses pushed "
              "in time order");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 9, NAN, NAN, "\xE6\x8A" "x", &event, &a),
              NPS_ERR_INVALID_TEXT, "comment at index 1 is not valid UTF-8 (byte 0 of 3)");
    CHECK_ERR(nps_alerter_push(s, 300, "C\xFF", "app", 9, NAN, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_UTF8, "customer is not valid UTF-8");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "\xFF", 9, NAN, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_UTF8, "touchpoint is not valid UTF-8");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 7.5, NAN, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_SCORE, "score at index 1 is 7.5; scores are whole numbers in 0..=10");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 11, NAN, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_SCORE, "score at index 1 is 11");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 3, -1, NAN, NULL, &event, &a),
              NPS_ERR_INVALID_ARGUMENT,
              "previous is -1 at index 1; a whole score on the policy's scale, or NaN for none");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 3, NAN, -INFINITY, NULL, &event, &a),
              NPS_ERR_INVALID_ARGUMENT, "value is -inf at index 1");
    CHECK_ERR(nps_alerter_push(s, 300, NULL, "app", 3, NAN, NAN, NULL, &event, &a),
              NPS_ERR_NULL_POINTER, "customer is NULL");
    CHECK_ERR(nps_alerter_push(s, 300, "C1", "app", 3, NAN, NAN, NULL, NULL, &a),
              NPS_ERR_NULL_POINTER, "event is NULL");
    CHECK_ERR(nps_alerter_push(NULL, 300, "C1", "app", 3, NAN, NAN, NULL, &event, &a),
              NPS_ERR_NULL_POINTER, "alerter is NULL");
    CHECK(event == (nps_alert_event)99 && a.id == 77);
    CHECK_ERR(nps_alerter_set_utf8_policy(s, "lenient"), NPS_ERR_UNKNOWN_METHOD,
              "unknown UTF-8 policy \"lenient\"");
    CHECK_ERR(nps_alerter_new(NULL, &s), NPS_ERR_NULL_POINTER, "policy is NULL");

    /* None of the failures counted: the next response is position 1, its alert id 1. Under
     * "replace" the garbled comment is read, and its keyword still fires. */
    CHECK_OK(nps_alerter_set_utf8_policy(s, "replace"));
    CHECK_OK(nps_alerter_push(s, 300, "C1", "app", 9, NAN, NAN, "\xFF" "要退保", &event, &a));
    CHECK(event == NPS_ALERT_OPENED && a.id == 1 && a.priority == 1);
    CHECK_OK(nps_alerter_set_utf8_policy(s, NULL));
    CHECK_ERR(nps_alerter_push(s, 400, "C1", "app", 9, NAN, NAN, "\xFF", &event, &a),
              NPS_ERR_INVALID_TEXT, "comment at index 2 is not valid UTF-8");
    nps_alerter_free(s);
    nps_alerter_free(NULL);
    nps_alert_queue_free(NULL);
    nps_alert_policy_free(NULL);
    nps_alert_policy_free(p);
}

int main(void) {
    hand_checked_queue();
    stream_equals_batch();
    stream_resumes_from_json();
    callback_outcomes();
    bad_policies();
    bad_batches();
    empty_comments();
    bad_pushes();
    CHECK_DONE();
}
