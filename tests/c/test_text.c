/*
 * Comments (评论) through the C ABI: Chinese and French tokens; the distinctive words of
 * detractors (贬损者) against promoters (推荐者) with δ, SE and z recomputed here from the counts
 * by Monroe et al.'s formula; topics (话题) from a taxonomy with mentions, shares, NPS and
 * impact against numbers worked out by hand, overall and per group, and under each interval
 * method (the topic's interval against nps_score_f64's), with survey weights (whole-number
 * weights against repeated rows; bad weights); topics as 0/1 drivers of a table and
 * nps_drivers on them; then every bad input: a pattern that does not compile, bytes that are
 * not UTF-8 under both policies (tokens included), unknown methods and bad method parameters,
 * empty comments (skipped; all empty = an error), unknown JSON fields, NULL pointers. Run under
 * valgrind by run.sh: no leak, no bad access.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TOL 1e-9
#define Z95 1.959963984540054

/* ---------------------------------------------------------------------------------------------
 * Reading the JSON results: the number after a chain of fragments, each searched from the end
 * of the previous one (the core writes an object's fields in a fixed order). NAN when a
 * fragment is missing or the value is null.
 * ------------------------------------------------------------------------------------------- */

static const char *after(const char *json, va_list fragments) {
    const char *at = json;
    const char *fragment;
    while (at != NULL && (fragment = va_arg(fragments, const char *)) != NULL) {
        at = strstr(at, fragment);
        if (at != NULL) at += strlen(fragment);
    }
    return at;
}

/* The number after the fragments (NULL-terminated list). */
static double num(const char *json, ...) {
    va_list fragments;
    const char *at;
    char *end = NULL;
    double value;
    va_start(fragments, json);
    at = after(json, fragments);
    va_end(fragments);
    if (at == NULL || strncmp(at, "null", 4) == 0) return NAN;
    value = strtod(at, &end);
    return end == at ? NAN : value;
}

/* Whether the text right after the fragments starts with `expected`. */
static int next_is(const char *json, const char *expected, ...) {
    va_list fragments;
    const char *at;
    va_start(fragments, expected);
    at = after(json, fragments);
    va_end(fragments);
    return at != NULL && strncmp(at, expected, strlen(expected)) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------------------------------- */

/* Tokenizes `text` with `options` under the UTF-8 policy `policy` and checks the JSON array
 * against `expected`. */
static void check_tokens_under(const char *text, const char *options, const char *policy,
                               const char *expected) {
    char *json = NULL;
    CHECK_OK(nps_tokenize(text, options, policy, &json));
    if (json == NULL) return;
    if (strcmp(json, expected) != 0) {
        fprintf(stderr, "tokens of \"%s\": %s, expected %s\n", text, json, expected);
        CHECK(strcmp(json, expected) == 0);
    }
    nps_string_free(json);
}

/* Tokenizes `text` with `options` under the default UTF-8 policy ("error"). */
static void check_tokens(const char *text, const char *options, const char *expected) {
    check_tokens_under(text, options, NULL, expected);
}

static void tokens(void) {
    /* Chinese: jieba's words; 了 is a stop word. */
    check_tokens("理赔速度太慢了", NULL, "[\"理赔\",\"速度\",\"太慢\"]");
    check_tokens("APP经常闪退", NULL, "[\"app\",\"经常\",\"闪退\"]");
    check_tokens("APP经常闪退", "{\"hmm\": false}", "[\"app\",\"经常\",\"闪\",\"退\"]");
    /* French: lowercase, l' split off, ’ read as ', stop words (était, très) dropped. */
    check_tokens("L’accueil était TRÈS agréable !", NULL, "[\"accueil\",\"agréable\"]");
    check_tokens("Trop cher, l'appli plante", NULL, "[\"trop\",\"cher\",\"appli\",\"plante\"]");
    check_tokens("qu'il l'a dit aujourd'hui", "{\"stop_words\": [\"fr\"]}",
                 "[\"dit\",\"aujourd'hui\"]");
    /* No stop words, at least 2 characters, numbers kept. */
    check_tokens("l'a payé 10 euros",
                 "{\"stop_words\": [], \"min_length\": 2, \"keep_numbers\": true}",
                 "[\"payé\",\"10\",\"euros\"]");
    /* Blank text: no words. */
    check_tokens(" \t", NULL, "[]");
    check_tokens("", NULL, "[]");
}

/* ---------------------------------------------------------------------------------------------
 * Distinctive words
 * ------------------------------------------------------------------------------------------- */

static const char *const WORD_TEXTS[] = {
    "理赔太慢", "理赔速度太慢了", "等待太久,理赔慢", "服务很好", "服务周到", "客服服务好", "还行",
    "", NULL, "   ",
};
static const double WORD_SCORES[] = {2, 4, 5, 10, 9, 10, 8, 0, 10, NAN};
static const char *const WORD_GROUPS[] = {"claim", "claim", "claim", "claim", "sales",
                                          "sales", "sales", "sales", "sales", NULL};

/* δ, SE and z of `word` in the overall group of `json`, recomputed from its counts. */
static void check_log_odds(const char *json, const char *word, double alpha0) {
    char anchor[64];
    double n_d = num(json, "\"detractor_words\":", NULL);
    double n_pa = num(json, "\"passive_words\":", NULL);
    double n_p = num(json, "\"promoter_words\":", NULL);
    double y_d, y_pa, y_p, a_w, a_i, a_j, delta, se;
    snprintf(anchor, sizeof anchor, "{\"word\":\"%s\"", word);
    y_d = num(json, anchor, "\"detractors\":", NULL);
    y_pa = num(json, anchor, "\"passives\":", NULL);
    y_p = num(json, anchor, "\"promoters\":", NULL);
    a_w = alpha0 * (y_d + y_pa + y_p) / (n_d + n_pa + n_p);
    a_i = y_d + a_w;
    a_j = y_p + a_w;
    delta = log(a_i / (n_d + alpha0 - a_i)) - log(a_j / (n_p + alpha0 - a_j));
    se = sqrt(1.0 / a_i + 1.0 / a_j);
    CHECK_NEAR(num(json, anchor, "\"delta\":", NULL), delta, TOL);
    CHECK_NEAR(num(json, anchor, "\"se\":", NULL), se, TOL);
    CHECK_NEAR(num(json, anchor, "\"z\":", NULL), delta / se, TOL);
}

static void distinctive(void) {
    char *json = NULL;
    CHECK_OK(nps_distinctive_words(WORD_TEXTS, WORD_SCORES, NULL, LEN(WORD_TEXTS), NULL,
                                   NPS_DEFAULT_ALPHA0, 2, &json));
    if (json != NULL) {
        CHECK(next_is(json, "null", "\"dimension\":", NULL));
        CHECK_NEAR(num(json, "\"alpha0\":", NULL), 1000.0, 0);
        /* Comments with text and a score: 3 detractors, 1 passive, 3 promoters (the empty,
         * NULL and blank comments and the NaN score are skipped). */
        CHECK_NEAR(num(json, "\"detractor_comments\":", NULL), 3, 0);
        CHECK_NEAR(num(json, "\"passive_comments\":", NULL), 1, 0);
        CHECK_NEAR(num(json, "\"promoter_comments\":", NULL), 3, 0);
        /* 理赔 (claims) is the detractors' word: first, z > 0; 服务 (service) the promoters'. */
        CHECK(next_is(json, "\"理赔\"", "\"rows\":[{\"word\":", NULL));
        CHECK_NEAR(num(json, "{\"word\":\"理赔\"", "\"detractors\":", NULL), 3, 0);
        CHECK_NEAR(num(json, "{\"word\":\"理赔\"", "\"promoters\":", NULL), 0, 0);
        CHECK(num(json, "{\"word\":\"理赔\"", "\"z\":", NULL) > 0);
        /* 服务很好 → 服务 好; 客服服务好 → 客服 服务 好; 服务周到 is one word of jieba's. */
        CHECK_NEAR(num(json, "{\"word\":\"服务\"", "\"promoters\":", NULL), 2, 0);
        CHECK(num(json, "{\"word\":\"服务\"", "\"z\":", NULL) < 0);
        CHECK(strstr(json, "{\"word\":\"服务\"") > strstr(json, "{\"word\":\"理赔\""));
        check_log_odds(json, "理赔", 1000.0);
        check_log_odds(json, "服务", 1000.0);
        nps_string_free(json);
    }
    /* A small prior (α₀ = 1) makes the same words more decisive. */
    json = NULL;
    CHECK_OK(nps_distinctive_words(WORD_TEXTS, WORD_SCORES, NULL, LEN(WORD_TEXTS), "error", 1.0,
                                   2, &json));
    if (json != NULL) {
        check_log_odds(json, "理赔", 1.0);
        CHECK(num(json, "{\"word\":\"理赔\"", "\"delta\":", NULL) > 2.0);
        nps_string_free(json);
    }
    /* Per group: overall, then claim and sales in sorted order; the last row (no group) counts
     * in the overall only. */
    json = NULL;
    CHECK_OK(nps_distinctive_words(WORD_TEXTS, WORD_SCORES, WORD_GROUPS, LEN(WORD_TEXTS), NULL,
                                   NPS_DEFAULT_ALPHA0, 1, &json));
    if (json != NULL) {
        CHECK(next_is(json, "\"group\"", "\"dimension\":", NULL));
        CHECK(next_is(json, "null", "\"groups\":[{\"group\":", NULL));
        CHECK_NEAR(num(json, "\"group\":\"claim\"", "\"detractor_comments\":", NULL), 3, 0);
        CHECK_NEAR(num(json, "\"group\":\"claim\"", "\"promoter_comments\":", NULL), 1, 0);
        CHECK_NEAR(num(json, "\"group\":\"sales\"", "\"detractor_comments\":", NULL), 0, 0);
        CHECK_NEAR(num(json, "\"group\":\"sales\"", "\"promoter_comments\":", NULL), 2, 0);
        CHECK(strstr(json, "\"group\":\"sales\"") > strstr(json, "\"group\":\"claim\""));
        nps_string_free(json);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Topics
 * ------------------------------------------------------------------------------------------- */

static const char *const PRICE_TAXONOMY =
    "{\"topics\": [{\"name\": \"price\", \"keywords\": [\"price\", \"贵\", \"cher\"]},"
    " {\"name\": \"staff\", \"keywords\": [\"staff\"],"
    " \"patterns\": [\"\\\\b(accueil|personnel)\\\\b\"]}]}";

static const char *const TOPIC_TEXTS[] = {"太贵了", "price is too high", NULL, "很好", "super"};
static const double TOPIC_SCORES[] = {2, 5, 10, 9, 10};
static const char *const TOPIC_GROUPS[] = {"A", "B", "A", "A", "B"};

/* Rocks' adjusted SE in points of a sample of p promoters, a passives and d detractors. */
static double adjusted_se(double p, double a, double d) {
    double n = p + a + d + 3.0, pp = (p + 0.75) / n, pd = (d + 0.75) / n;
    return 100.0 * sqrt((pp + pd - (pp - pd) * (pp - pd)) / n);
}

static void topics(void) {
    nps_taxonomy *taxonomy = NULL;
    char *json = NULL;
    double se;
    CHECK_OK(nps_taxonomy_from_json(PRICE_TAXONOMY, &taxonomy));
    if (taxonomy == NULL) return;

    /* Round trip. */
    CHECK_OK(nps_taxonomy_to_json(taxonomy, &json));
    if (json != NULL) {
        nps_taxonomy *back = NULL;
        CHECK(strstr(json, "\"name\":\"staff\"") != NULL);
        CHECK_OK(nps_taxonomy_from_json(json, &back));
        nps_taxonomy_free(back);
        nps_string_free(json);
    }

    /* Overall: 5 respondents, 3 promoters and 2 detractors: NPS 20. Both detractors mention
     * price (太贵了, "price"): NPS_t = -100 over n_t = 2; the rest (3 promoters, one without a
     * comment) 100; impact = (2/5)(-100 - 100) = -80 = 20 - 100; share = 2 of the 4 comments.
     * SE = (2/5)·√(SE_t² + SE_rest²) with Rocks' adjusted SEs. */
    json = NULL;
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        NULL, NULL, 0.95, &json));
    if (json != NULL) {
        CHECK_NEAR(num(json, "\"responses\":", NULL), 5, 0);
        CHECK_NEAR(num(json, "\"comments\":", NULL), 4, 0);
        CHECK_NEAR(num(json, "\"overall\":", "\"nps\":", NULL), 20, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"mentions\":", NULL), 2, 0);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"share\":", NULL), 0.5, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"n\":", NULL), 2, 0);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"nps\":", NULL), -100, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"rest_nps\":", NULL), 100, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"value\":", NULL), -80, TOL);
        se = 0.4 * hypot(adjusted_se(0, 0, 2), adjusted_se(3, 0, 0));
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"se\":", NULL), se, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"low\":", NULL),
                   -80 - Z95 * se, 1e-6);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"high\":", NULL),
                   -80 + Z95 * se, 1e-6);
        /* Nobody mentions staff: no estimate, no impact; the rest is everyone. */
        CHECK_NEAR(num(json, "\"topic\":\"staff\"", "\"mentions\":", NULL), 0, 0);
        CHECK(next_is(json, "null", "\"topic\":\"staff\"", "\"estimate\":", NULL));
        CHECK_NEAR(num(json, "\"topic\":\"staff\"", "\"rest_nps\":", NULL), 20, TOL);
        CHECK(next_is(json, "null", "\"topic\":\"staff\"", "\"impact\":", NULL));
        nps_string_free(json);
    }

    /* Per group. A: 太贵了 (2), no comment (10), 很好 (9): NPS 33.3; price by 1 of 2 comments,
     * NPS_t -100, rest 100, impact (1/3)(-200) = -66.7. B: "price is too high" (5), "super" (10):
     * NPS 0; impact (1/2)(-200) = -100. */
    json = NULL;
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, TOPIC_GROUPS, LEN(TOPIC_TEXTS),
                        "replace", NULL, NULL, 0.9, &json));
    if (json != NULL) {
        CHECK_NEAR(num(json, "\"level\":", NULL), 0.9, 0);
        CHECK_NEAR(num(json, "\"group\":\"A\"", "\"responses\":", NULL), 3, 0);
        CHECK_NEAR(num(json, "\"group\":\"A\"", "\"comments\":", NULL), 2, 0);
        CHECK_NEAR(num(json, "\"group\":\"A\"", "\"overall\":", "\"nps\":", NULL), 100.0 / 3,
                   TOL);
        CHECK_NEAR(num(json, "\"group\":\"A\"", "\"topic\":\"price\"", "\"share\":", NULL), 0.5,
                   TOL);
        CHECK_NEAR(num(json, "\"group\":\"A\"", "\"topic\":\"price\"", "\"impact\":", "\"value\":",
                       NULL),
                   -200.0 / 3, TOL);
        CHECK_NEAR(num(json, "\"group\":\"B\"", "\"overall\":", "\"nps\":", NULL), 0, TOL);
        CHECK_NEAR(num(json, "\"group\":\"B\"", "\"topic\":\"price\"", "\"impact\":", "\"value\":",
                       NULL),
                   -100, TOL);
        se = 0.5 * hypot(adjusted_se(0, 0, 1), adjusted_se(1, 0, 0));
        CHECK_NEAR(num(json, "\"group\":\"B\"", "\"topic\":\"price\"", "\"impact\":", "\"se\":",
                       NULL),
                   se, TOL);
        nps_string_free(json);
    }
    nps_taxonomy_free(taxonomy);
}

/* The price topic's estimate in `json` against nps_score_f64 on the mentioners' scores {2, 5}
 * with the same method: the same numbers by another path through the library. */
static void check_price_estimate(const char *json, const char *method,
                                 const nps_method_options *options) {
    static const double mentioners[] = {2, 5};
    nps_estimate e;
    CHECK_OK(nps_score_f64(mentioners, LEN(mentioners), NULL, 0, method, options, 0.95, &e));
    CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"nps\":", NULL), e.nps, TOL);
    CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"low\":", NULL), e.low, TOL);
    CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"high\":", NULL), e.high,
               TOL);
}

/* Topics under each interval method: the method in the JSON, its intervals, its errors. */
static void topic_methods(void) {
    nps_taxonomy *taxonomy = NULL;
    nps_method_options options;
    char *json = NULL;
    double adjusted_low = NAN, se;
    CHECK_OK(nps_taxonomy_from_json(PRICE_TAXONOMY, &taxonomy));
    CHECK_OK(nps_method_options_default(&options));
    if (taxonomy == NULL) return;

    /* NULL and "adjusted_wald" are the same method. */
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        "adjusted_wald", &options, 0.95, &json));
    if (json != NULL) {
        CHECK(strstr(json, "\"method\":{\"name\":\"adjusted_wald\"}") != NULL);
        check_price_estimate(json, NULL, NULL);
        adjusted_low = num(json, "\"topic\":\"price\"", "\"estimate\":", "\"low\":", NULL);
        nps_string_free(json);
        json = NULL;
    }

    /* Wald: overall NPS 20 (3 promoters, 2 detractors of 5) ± z·100·√((0.6 + 0.4 − 0.2²)/5),
     * the upper bound (105.9) clamped to 100. The mentioners (all detractors) and the rest (all
     * promoters) are unanimous: the impact's Wald SE is 0, so its interval is the point -80. */
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        "wald", NULL, 0.95, &json));
    if (json != NULL) {
        CHECK(next_is(json, "{\"name\":\"wald\"}", "\"method\":", NULL));
        se = 100.0 * sqrt((1.0 - 0.04) / 5.0);
        CHECK_NEAR(num(json, "\"overall\":", "\"se\":", NULL), se, TOL);
        CHECK_NEAR(num(json, "\"overall\":", "\"low\":", NULL), 20 - Z95 * se, 1e-6);
        CHECK_NEAR(num(json, "\"overall\":", "\"high\":", NULL), 100, 0);
        CHECK(next_is(json, "{\"name\":\"wald\"}", "\"overall\":", "\"method\":", NULL));
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"value\":", NULL), -80, TOL);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"se\":", NULL), 0, 0);
        CHECK_NEAR(num(json, "\"topic\":\"price\"", "\"impact\":", "\"low\":", NULL), -80, TOL);
        check_price_estimate(json, "wald", NULL);
        nps_string_free(json);
        json = NULL;
    }

    /* Bayes with a uniform prior (1 per category): its own interval, the prior in the JSON. */
    options.prior = 1.0;
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        "bayes", &options, 0.95, &json));
    if (json != NULL) {
        CHECK(next_is(json, "{\"name\":\"bayes\",\"prior\":1.0}", "\"method\":", NULL));
        check_price_estimate(json, "bayes", &options);
        CHECK(fabs(num(json, "\"topic\":\"price\"", "\"estimate\":", "\"low\":", NULL) -
                   adjusted_low) > 1e-3);
        nps_string_free(json);
        json = NULL;
    }

    /* Score and bootstrap (a seed: the same interval as nps_score_f64's). */
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        "score", NULL, 0.95, &json));
    if (json != NULL) {
        CHECK(next_is(json, "{\"name\":\"score\"}", "\"method\":", NULL));
        check_price_estimate(json, "score", NULL);
        nps_string_free(json);
        json = NULL;
    }
    options.replicates = 2000;
    options.seed = 7;
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                        "bootstrap", &options, 0.95, &json));
    if (json != NULL) {
        CHECK(next_is(json, "{\"name\":\"bootstrap\",\"replicates\":2000,\"seed\":7}",
                      "\"method\":", NULL));
        check_price_estimate(json, "bootstrap", &options);
        nps_string_free(json);
        json = NULL;
    }

    /* An unknown method, bad parameters, a name that is not UTF-8: nothing written. */
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                         "wilson", NULL, 0.95, &json),
              NPS_ERR_UNKNOWN_METHOD, "\"wilson\"");
    options.replicates = 0;
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                         "bootstrap", &options, 0.95, &json),
              NPS_ERR_INVALID_ARGUMENT, "replicates is 0");
    options.prior = 0.0;
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                         "bayes", &options, 0.95, &json),
              NPS_ERR_INVALID_ARGUMENT, "prior");
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, NULL, NULL, LEN(TOPIC_TEXTS), NULL,
                         "b\xE4yes", NULL, 0.95, &json),
              NPS_ERR_INVALID_UTF8, "method is not valid UTF-8");
    CHECK(json == NULL);
    nps_taxonomy_free(taxonomy);
}

/* Topics with survey weights: whole-number weights are repeated rows (the same NPS and impact
 * to the last bit, the counts unweighted), numbers by hand, and bad weights. */
static void weighted_topics(void) {
    static const double weights[] = {2, 1, 3, 1, 2};
    /* TOPIC_TEXTS and TOPIC_SCORES with row i repeated weights[i] times. */
    static const char *const repeated_texts[] = {
        "太贵了", "太贵了", "price is too high", NULL, NULL, NULL, "很好", "super", "super",
    };
    static const double repeated_scores[] = {2, 2, 5, 10, 10, 10, 9, 10, 10};
    static const char *const values[] = {"\"overall\":", "\"topic\":\"price\"", NULL};
    nps_taxonomy *taxonomy = NULL;
    char *weighted = NULL, *repeated = NULL, *json = NULL;
    double bad[LEN(weights)];
    size_t i;
    CHECK_OK(nps_taxonomy_from_json(PRICE_TAXONOMY, &taxonomy));
    if (taxonomy == NULL) return;

    /* Promoters weigh 3 + 1 + 2 = 6, detractors 2 + 1 = 3 (both mention price): NPS
     * 100·(6 − 3)/9 = 33.3; NPS_t = -100, the rest 100; impact = (3/9)(-100 - 100) = NPS - 100.
     * Mentions stay a count: 2. */
    CHECK_OK(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, weights, NULL, LEN(TOPIC_TEXTS),
                        NULL, NULL, NULL, 0.95, &weighted));
    CHECK_OK(nps_topics(taxonomy, repeated_texts, repeated_scores, NULL, NULL,
                        LEN(repeated_texts), NULL, NULL, NULL, 0.95, &repeated));
    if (weighted != NULL && repeated != NULL) {
        CHECK_NEAR(num(weighted, "\"responses\":", NULL), 5, 0);
        CHECK(next_is(weighted, "true", "\"overall\":", "\"weighted\":", NULL));
        CHECK(next_is(repeated, "false", "\"overall\":", "\"weighted\":", NULL));
        CHECK_NEAR(num(weighted, "\"overall\":", "\"nps\":", NULL), 100.0 / 3, TOL);
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"mentions\":", NULL), 2, 0);
        CHECK_NEAR(num(repeated, "\"topic\":\"price\"", "\"mentions\":", NULL), 3, 0);
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"estimate\":", "\"nps\":", NULL),
                   -100, TOL);
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"rest_nps\":", NULL), 100, TOL);
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"impact\":", "\"value\":", NULL),
                   -200.0 / 3, TOL);
        /* The weighted NPS and impact are those of the repeated rows, exactly. */
        for (i = 0; values[i] != NULL; i++) {
            CHECK_NEAR(num(weighted, values[i], "\"nps\":", NULL),
                       num(repeated, values[i], "\"nps\":", NULL), 0);
        }
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"rest_nps\":", NULL),
                   num(repeated, "\"topic\":\"price\"", "\"rest_nps\":", NULL), 0);
        CHECK_NEAR(num(weighted, "\"topic\":\"price\"", "\"impact\":", "\"value\":", NULL),
                   num(repeated, "\"topic\":\"price\"", "\"impact\":", "\"value\":", NULL), 0);
    }
    nps_string_free(weighted);
    nps_string_free(repeated);

    /* A NaN or negative weight is named by its index; weights of zero for every answered
     * score leave no NPS. Nothing is written. */
    memcpy(bad, weights, sizeof bad);
    bad[3] = NAN;
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, bad, NULL, LEN(TOPIC_TEXTS), NULL,
                         NULL, NULL, 0.95, &json),
              NPS_ERR_INVALID_WEIGHT, "weight at index 3 is NaN");
    bad[3] = 1;
    bad[1] = -1;
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, bad, TOPIC_GROUPS,
                         LEN(TOPIC_TEXTS), NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_INVALID_WEIGHT, "weight at index 1 is -1");
    for (i = 0; i < LEN(bad); i++) bad[i] = 0;
    CHECK_ERR(nps_topics(taxonomy, TOPIC_TEXTS, TOPIC_SCORES, bad, NULL, LEN(TOPIC_TEXTS), NULL,
                         NULL, NULL, 0.95, &json),
              NPS_ERR_ZERO_TOTAL_WEIGHT, "sum to zero");
    CHECK(json == NULL);
    nps_taxonomy_free(taxonomy);
}

/* ---------------------------------------------------------------------------------------------
 * Topics as drivers
 * ------------------------------------------------------------------------------------------- */

static const char *const DRIVER_TEXTS[] = {
    "太贵了",     "理赔太慢", "又贵又慢", "服务很好",  "fast and cheap",
    "slow claims", "expensive", "很满意", NULL, "slow and expensive",
};
static const double DRIVER_SCORES[] = {4, 5, 1, 10, 9, 6, 7, 10, 8, 2};

static void topic_drivers(void) {
    nps_taxonomy *taxonomy = NULL;
    nps_table *table = NULL;
    nps_driver_importance *imp = NULL;
    const char *const names[] = {"topic:price", "topic:speed"};
    size_t len = 0;
    uint64_t n = 0;
    CHECK_OK(nps_taxonomy_from_json(
        "{\"topics\": [{\"name\": \"price\", \"keywords\": [\"贵\", \"expensive\"]},"
        " {\"name\": \"speed\", \"keywords\": [\"慢\", \"slow\"]}]}",
        &taxonomy));
    CHECK_OK(nps_table_new(DRIVER_SCORES, LEN(DRIVER_SCORES), &table));
    if (taxonomy == NULL || table == NULL) goto done;
    CHECK_OK(nps_table_add_topic_drivers(table, taxonomy, DRIVER_TEXTS, LEN(DRIVER_TEXTS), NULL,
                                         "topic:"));
    /* The same names again: refused, the table unchanged. */
    CHECK_ERR(nps_table_add_topic_drivers(table, taxonomy, DRIVER_TEXTS, LEN(DRIVER_TEXTS), NULL,
                                          "topic:"),
              NPS_ERR_INVALID_ARGUMENT, "topic:price");
    CHECK_ERR(nps_table_add_topic_drivers(table, taxonomy, DRIVER_TEXTS, 3, NULL, "t2:"),
              NPS_ERR_LENGTH_MISMATCH, "comments has 3 elements");
    /* Shapley importance over the 9 rows with a comment (the NaN row is dropped listwise):
     * both topics pull the score down. */
    CHECK_OK(nps_drivers(table, names, LEN(names), NULL, &imp));
    if (imp == NULL) goto done;
    CHECK_OK(nps_driver_importance_n(imp, &n));
    CHECK_EQ_U64(n, 9);
    CHECK_OK(nps_driver_importance_len(imp, &len));
    CHECK_EQ_U64(len, 2);
    for (size_t i = 0; i < len && i < 2; i++) {
        nps_driver_row row;
        CHECK_OK(nps_driver_importance_row(imp, i, &row));
        CHECK(strcmp(row.driver, names[i]) == 0);
        CHECK(row.sign < 0);
        CHECK(row.importance > 0);
    }
    nps_driver_importance_free(imp);
    imp = NULL;
    /* Without a prefix, the topic names themselves; every driver (NULL list) now has 4. */
    CHECK_OK(nps_table_add_topic_drivers(table, taxonomy, DRIVER_TEXTS, LEN(DRIVER_TEXTS), NULL,
                                         NULL));
    CHECK_ERR(nps_drivers(table, NULL, 0, NULL, &imp), NPS_ERR_INVALID_DRIVER, "collinear");
done:
    nps_driver_importance_free(imp);
    nps_table_free(table);
    nps_taxonomy_free(taxonomy);
}

/* ---------------------------------------------------------------------------------------------
 * Bad input
 * ------------------------------------------------------------------------------------------- */

static void bad_taxonomies(void) {
    nps_taxonomy *t = NULL;
    CHECK_ERR(nps_taxonomy_from_json(
                  "{\"topics\": [{\"name\": \"wait\", \"patterns\": [\"(attente\"]}]}", &t),
              NPS_ERR_INVALID_POLICY,
              "topic \"wait\" has a pattern \"(attente\" that does not compile");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [{\"name\": \"a\", \"keyword\": [\"x\"]}]}", &t),
              NPS_ERR_INVALID_POLICY, "unknown field `keyword`");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [], \"version\": 2}", &t),
              NPS_ERR_INVALID_POLICY, "unknown field `version`");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": []}", &t), NPS_ERR_INVALID_POLICY,
              "at least one topic");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [{\"name\": \"a\"}]}", &t),
              NPS_ERR_INVALID_POLICY, "no keyword and no pattern");
    CHECK_ERR(nps_taxonomy_from_json(
                  "{\"topics\": [{\"name\": \"a\", \"keywords\": [\"x\"]},"
                  " {\"name\": \"a\", \"keywords\": [\"y\"]}]}",
                  &t),
              NPS_ERR_INVALID_POLICY, "defined twice");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [{\"name\": \"a\", \"keywords\": [\" \"]}]}",
                                     &t),
              NPS_ERR_INVALID_POLICY, "empty keyword");
    CHECK_ERR(nps_taxonomy_from_json("not json", &t), NPS_ERR_INVALID_JSON, "cannot be read");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [{\"name\": \"caf\xE9\"}]}", &t),
              NPS_ERR_INVALID_UTF8, "json is not valid UTF-8");
    CHECK_ERR(nps_taxonomy_from_json(NULL, &t), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_taxonomy_from_json("{\"topics\": [{\"name\": \"a\", \"keywords\": [\"x\"]}]}",
                                     NULL),
              NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK(t == NULL);
    nps_taxonomy_free(NULL);
}

static void bad_utf8(void) {
    /* "prix élevé" in Latin-1: E9 is not UTF-8. */
    static const char *const texts[] = {"trop cher", "prix \xE9lev\xE9", "parfait"};
    static const double scores[] = {3, 4, 10};
    nps_taxonomy *t = NULL;
    char *json = NULL;
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 3, NULL, NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_INVALID_TEXT, "comment at index 1 is not valid UTF-8 (byte 5 of 10)");
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 3, "error", NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_INVALID_TEXT, "\"replace\" policy");
    CHECK_ERR(nps_tokenize("prix \xE9lev\xE9", NULL, NULL, &json), NPS_ERR_INVALID_TEXT,
              "comment at index 0 is not valid UTF-8 (byte 5 of 10)");
    CHECK_ERR(nps_tokenize("prix \xE9lev\xE9", NULL, "error", &json), NPS_ERR_INVALID_TEXT,
              "comment at index 0 is not valid UTF-8 (byte 5 of 10)");
    CHECK_ERR(nps_tokenize("prix \xE9lev\xE9", NULL, "lenient", &json), NPS_ERR_UNKNOWN_METHOD,
              "unknown UTF-8 policy \"lenient\"");
    CHECK(json == NULL);
    /* "replace": U+FFFD is never part of a word, so "élevé" loses its accents and splits. */
    check_tokens_under("prix \xE9lev\xE9 caf\xE9", NULL, "replace", "[\"prix\",\"lev\",\"caf\"]");
    check_tokens_under("理赔太慢", NULL, "replace", "[\"理赔\",\"太慢\"]");
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 3, "lenient", NPS_DEFAULT_ALPHA0, 1,
                                    &json),
              NPS_ERR_UNKNOWN_METHOD, "unknown UTF-8 policy \"lenient\"");
    CHECK(json == NULL);
    /* "replace": each invalid byte becomes U+FFFD, which is not a letter: "prix", "lev". */
    CHECK_OK(
        nps_distinctive_words(texts, scores, NULL, 3, "replace", NPS_DEFAULT_ALPHA0, 1, &json));
    if (json != NULL) {
        CHECK(strstr(json, "{\"word\":\"prix\"") != NULL);
        CHECK(strstr(json, "{\"word\":\"lev\"") != NULL);
        CHECK(strstr(json, "\xEF\xBF\xBD") == NULL); /* no U+FFFD in any word */
        nps_string_free(json);
        json = NULL;
    }
    CHECK_OK(nps_taxonomy_from_json(
        "{\"topics\": [{\"name\": \"prix\", \"keywords\": [\"prix\", \"cher\"]}]}", &t));
    CHECK_ERR(nps_topics(t, texts, scores, NULL, NULL, 3, NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_INVALID_TEXT, "index 1");
    CHECK_OK(nps_topics(t, texts, scores, NULL, NULL, 3, "replace", NULL, NULL, 0.95, &json));
    if (json != NULL) {
        CHECK_NEAR(num(json, "\"topic\":\"prix\"", "\"mentions\":", NULL), 2, 0);
        nps_string_free(json);
        json = NULL;
    }
    /* A group value that is not UTF-8 is an identifier: never replaced. */
    {
        static const char *const groups[] = {"a", "b\xFF", "c"};
        CHECK_ERR(nps_topics(t, texts, scores, NULL, groups, 3, "replace", NULL, NULL, 0.95, &json),
                  NPS_ERR_INVALID_UTF8, "group_values[1] is not valid UTF-8");
    }
    nps_taxonomy_free(t);
}

static const char *const PRIX_TAXONOMY =
    "{\"topics\": [{\"name\": \"prix\", \"keywords\": [\"cher\"]}]}";

static void empty_comments(void) {
    static const char *const some[] = {"", "  ", "\xE3\x80\x80", NULL, "trop cher"};
    static const char *const none[] = {"", " \t\n", "\xE3\x80\x80", NULL};
    static const double scores[] = {10, 9, 3, 2, 0};
    nps_taxonomy *t = NULL;
    nps_table *table = NULL;
    char *json = NULL;
    CHECK_OK(nps_taxonomy_from_json(PRIX_TAXONOMY, &t));
    /* Empty, blank (the ideographic space U+3000 too) and NULL comments are skipped. */
    CHECK_OK(nps_topics(t, some, scores, NULL, NULL, LEN(some), NULL, NULL, NULL, 0.95, &json));
    if (json != NULL) {
        CHECK_NEAR(num(json, "\"responses\":", NULL), 5, 0);
        CHECK_NEAR(num(json, "\"comments\":", NULL), 1, 0);
        CHECK_NEAR(num(json, "\"topic\":\"prix\"", "\"share\":", NULL), 1, 0);
        nps_string_free(json);
        json = NULL;
    }
    /* Every comment empty: an error, whichever analysis. */
    CHECK_ERR(nps_topics(t, none, scores, NULL, NULL, LEN(none), NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_INVALID_TEXT, "is missing or blank, as are all 4 comments");
    CHECK_ERR(nps_distinctive_words(none, scores, NULL, LEN(none), NULL, NPS_DEFAULT_ALPHA0, 1,
                                    &json),
              NPS_ERR_INVALID_TEXT, "as are all 4 comments");
    CHECK_ERR(nps_distinctive_words(NULL, NULL, NULL, 0, NULL, NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_INVALID_TEXT, "no comment was given");
    CHECK_OK(nps_table_new(scores, LEN(none), &table));
    CHECK_ERR(nps_table_add_topic_drivers(table, t, none, LEN(none), NULL, NULL),
              NPS_ERR_INVALID_TEXT, "as are all 4 comments");
    CHECK(json == NULL);
    nps_table_free(table);
    nps_taxonomy_free(t);
}

static void bad_arguments(void) {
    static const char *const texts[] = {"trop cher", "parfait"};
    static const double scores[] = {3, 10};
    static const double off_scale[] = {3, 11};
    nps_taxonomy *t = NULL;
    nps_table *table = NULL;
    char *json = NULL;
    CHECK_OK(nps_taxonomy_from_json(PRIX_TAXONOMY, &t));
    CHECK_OK(nps_table_new(scores, 2, &table));

    /* Unknown or mistyped option fields. */
    CHECK_ERR(nps_tokenize("ok", "{\"stopwords\": []}", NULL, &json), NPS_ERR_INVALID_JSON,
              "unknown field `stopwords`");
    CHECK_ERR(nps_tokenize("ok", "{\"stop_words\": [\"de\"]}", NULL, &json),
              NPS_ERR_INVALID_JSON, "unknown variant `de`");
    CHECK_ERR(nps_tokenize("ok", "{\"min_length\": -1}", NULL, &json), NPS_ERR_INVALID_JSON,
              "integer `-1`");
    CHECK_ERR(nps_tokenize("ok", "[", NULL, &json), NPS_ERR_INVALID_JSON, "tokenize options");

    /* Numbers out of their domain. */
    CHECK_ERR(nps_distinctive_words(texts, off_scale, NULL, 2, NULL, NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_INVALID_SCORE, "score at index 1 is 11");
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 2, NULL, 0.0, 1, &json),
              NPS_ERR_INVALID_ARGUMENT, "alpha0 is 0");
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 2, NULL, NAN, 1, &json),
              NPS_ERR_INVALID_ARGUMENT, "alpha0 is NaN");
    CHECK_ERR(nps_topics(t, texts, scores, NULL, NULL, 2, NULL, NULL, NULL, 1.5, &json),
              NPS_ERR_INVALID_LEVEL, "confidence level is 1.5");
    CHECK_ERR(nps_topics(t, texts, off_scale, NULL, NULL, 2, NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_INVALID_SCORE, "index 1");

    /* NULL pointers. */
    CHECK_ERR(nps_tokenize(NULL, NULL, NULL, &json), NPS_ERR_NULL_POINTER, "text is NULL");
    CHECK_ERR(nps_tokenize("ok", NULL, NULL, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_distinctive_words(NULL, scores, NULL, 2, NULL, NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_NULL_POINTER, "texts is NULL");
    CHECK_ERR(nps_distinctive_words(texts, NULL, NULL, 2, NULL, NPS_DEFAULT_ALPHA0, 1, &json),
              NPS_ERR_NULL_POINTER, "scores is NULL");
    CHECK_ERR(nps_distinctive_words(texts, scores, NULL, 2, NULL, NPS_DEFAULT_ALPHA0, 1, NULL),
              NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_topics(NULL, texts, scores, NULL, NULL, 2, NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_NULL_POINTER, "taxonomy is NULL");
    CHECK_ERR(nps_topics(t, NULL, scores, NULL, NULL, 2, NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_NULL_POINTER, "texts is NULL");
    CHECK_ERR(nps_topics(t, texts, NULL, NULL, NULL, 2, NULL, NULL, NULL, 0.95, &json),
              NPS_ERR_NULL_POINTER, "scores is NULL");
    CHECK_ERR(nps_topics(t, texts, scores, NULL, NULL, 2, NULL, NULL, NULL, 0.95, NULL),
              NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_taxonomy_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "taxonomy is NULL");
    CHECK_ERR(nps_taxonomy_to_json(t, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_table_add_topic_drivers(NULL, t, texts, 2, NULL, NULL), NPS_ERR_NULL_POINTER,
              "table is NULL");
    CHECK_ERR(nps_table_add_topic_drivers(table, NULL, texts, 2, NULL, NULL), NPS_ERR_NULL_POINTER,
              "taxonomy is NULL");
    CHECK_ERR(nps_table_add_topic_drivers(table, t, NULL, 2, NULL, NULL), NPS_ERR_NULL_POINTER,
              "texts is NULL");
    CHECK(json == NULL);

    /* Lengths: a table of 2 rows and 1 comment. */
    CHECK_ERR(nps_table_add_topic_drivers(table, t, texts, 1, NULL, NULL), NPS_ERR_LENGTH_MISMATCH,
              "comments has 1 elements but scores has 2");
    nps_table_free(table);
    nps_taxonomy_free(t);
}

int main(void) {
    tokens();
    distinctive();
    topics();
    topic_methods();
    weighted_topics();
    topic_drivers();
    bad_taxonomies();
    bad_utf8();
    empty_comments();
    bad_arguments();
    CHECK_DONE();
}
