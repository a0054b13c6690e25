/*
 * A call-centre system's morning run of the closed loop (闭环): read yesterday's transactional
 * NPS responses (场景NPS) from the CRM's CSV export, read the alert policy, print each
 * touchpoint's NPS with its 95 % interval, then the prioritised call-back (回访) queue: who calls
 * whom, about which touchpoint, by when.
 *
 * Usage: callbacks [RESPONSES.csv [POLICY.json]]
 *   defaults: examples/data/tnps_yesterday.csv and examples/data/alert_policy.json (from the
 *   repository root). The CSV is UTF-8 (a leading BOM is skipped), comma-separated, with a
 *   header row naming at least the columns at, customer, touchpoint, score, previous, value,
 *   comment (any order, others ignored); fields are double-quoted when they hold commas, quotes
 *   ("" inside quotes) or line breaks; lines end with LF or CRLF. An empty score, previous
 *   score or value is unknown; an empty comment or touchpoint is none.
 *
 * Build against an installed nps (make install PREFIX=/opt/nps):
 *     cc callbacks.c $(pkg-config --cflags --libs nps)         # PKG_CONFIG_PATH=/opt/nps/lib/pkgconfig
 *     cc -I/opt/nps/include callbacks.c -L/opt/nps/lib -lnps    # then LD_LIBRARY_PATH=/opt/nps/lib
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nps.h>

/* ---------------------------------------------------------------- small utilities */

/* Reports the last failed nps call with the library's message (which names the field and the
 * row at fault); returns 1 for main. */
static int nps_fail(const char *what, nps_status status) {
    char message[1024];
    if (nps_last_error_message(message, sizeof message, NULL) != NPS_OK) {
        strcpy(message, "(message too long)");
    }
    fflush(stdout);
    fprintf(stderr, "callbacks: %s failed (%s): %s\n", what, nps_status_name((int32_t)status),
            message);
    return 1;
}

#define TRY(call)                                \
    do {                                         \
        nps_status status_ = (call);             \
        if (status_ != NPS_OK) {                 \
            code = nps_fail(#call, status_);     \
            goto done;                           \
        }                                        \
    } while (0)

/* Reads a whole file into a new NUL-terminated buffer (NULL on failure, with a message). */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "callbacks: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (ferror(f) || feof(f)) break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf == NULL || ferror(f)) {
        fprintf(stderr, "callbacks: cannot read %s\n", path);
        free(buf);
        buf = NULL;
    } else {
        buf[len] = '\0';
        if (memchr(buf, '\0', len) != NULL) {
            fprintf(stderr, "callbacks: %s contains a NUL byte; it is not a text file\n", path);
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* Seconds since 1970-01-01 UTC as "YYYY-MM-DDTHH:MM:SSZ" (proleptic Gregorian calendar; days to
 * civil date after H. Hinnant, "chrono-compatible low-level date algorithms"). */
static void format_utc(int64_t t, char out[64]) {
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    snprintf(out, 64, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m,
             (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
             (long long)(secs % 60));
}

/* Columns a UTF-8 text takes on a terminal: 2 for East Asian wide characters, 1 otherwise. */
static int display_width(const char *s) {
    int width = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        int len;
        if (*p < 0x80) cp = *p, len = 1;
        else if ((*p & 0xE0) == 0xC0) cp = *p & 0x1F, len = 2;
        else if ((*p & 0xF0) == 0xE0) cp = *p & 0x0F, len = 3;
        else cp = *p & 0x07, len = 4;
        for (int k = 1; k < len && (p[k] & 0xC0) == 0x80; k++) cp = cp << 6 | (p[k] & 0x3F);
        width += (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                                   (cp >= 0xAC00 && cp <= 0xD7A3) ||
                                   (cp >= 0xF900 && cp <= 0xFAFF) ||
                                   (cp >= 0xFF00 && cp <= 0xFF60) ||
                                   (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000))
                     ? 2
                     : 1;
        while (len-- > 0 && *p) p++;
    }
    return width;
}

/* Prints `s` left-aligned in `width` terminal columns. */
static void print_padded(const char *s, int width) {
    fputs(s, stdout);
    for (int w = display_width(s); w < width; w++) putchar(' ');
}

/* ---------------------------------------------------------------- CSV */

/* A CSV file parsed in place: `cells[r * n_cols + c]` is field c of record r (record 0 the
 * header), each a NUL-terminated string inside `text`. */
typedef struct {
    char *text;
    char **cells;
    size_t n_records, n_cols;
} csv;

static void csv_free(csv *t) {
    free(t->text);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Parses RFC 4180 CSV (quoted fields with "" escapes, LF or CRLF line ends, a UTF-8 BOM
 * skipped, blank lines ignored). Returns 0, or 1 with a message naming the line. Takes
 * ownership of `text`. */
static int csv_parse(char *text, const char *path, csv *out) {
    csv t = {text, NULL, 0, 0};
    size_t n_cells = 0, cap = 0, line = 1;
    char *r = text, *w = text; /* read and write positions: unescaping never lengthens a field */
    if (strncmp(r, "\xEF\xBB\xBF", 3) == 0) r += 3;
    while (*r != '\0') {
        size_t record_line = line, first = n_cells;
        if (*r == '\n' || (*r == '\r' && r[1] == '\n')) { /* a blank line */
            r += *r == '\r' ? 2 : 1;
            line++;
            continue;
        }
        for (;;) {
            char *field = w;
            if (*r == '"') {
                r++;
                for (;;) {
                    if (*r == '\0') {
                        fprintf(stderr, "callbacks: %s:%zu: a quoted field is not closed\n",
                                path, record_line);
                        goto fail;
                    }
                    if (*r == '"') {
                        if (r[1] != '"') break;
                        r++;
                    }
                    if (*r == '\n') line++;
                    *w++ = *r++;
                }
                r++; /* the closing quote */
                if (*r != ',' && *r != '\n' && *r != '\r' && *r != '\0') {
                    fprintf(stderr, "callbacks: %s:%zu: text after a closing quote\n", path,
                            line);
                    goto fail;
                }
            } else {
                while (*r != ',' && *r != '\n' && *r != '\r' && *r != '\0') {
                    if (*r == '"') {
                        fprintf(stderr,
                                "callbacks: %s:%zu: a quote inside an unquoted field (quote the "
                                "whole field and double the quote)\n",
                                path, line);
                        goto fail;
                    }
                    *w++ = *r++;
                }
            }
            char end = *r;
            *w++ = '\0';
            if (n_cells == cap) {
                cap = cap ? cap * 2 : 256;
                char **bigger = realloc(t.cells, cap * sizeof *bigger);
                if (bigger == NULL) {
                    fprintf(stderr, "callbacks: out of memory reading %s\n", path);
                    goto fail;
                }
                t.cells = bigger;
            }
            t.cells[n_cells++] = field;
            if (end == ',') {
                r++;
                continue;
            }
            /* `*r` may now be the NUL just written (when nothing was unescaped): go by `end`. */
            if (end == '\r' && r[1] == '\n') r++;
            if (end != '\0') {
                r++;
                line++;
            }
            break;
        }
        size_t fields = n_cells - first;
        if (t.n_records == 0) {
            t.n_cols = fields;
        } else if (fields != t.n_cols) {
            fprintf(stderr, "callbacks: %s:%zu: %zu fields, the header has %zu\n", path,
                    record_line, fields, t.n_cols);
            goto fail;
        }
        t.n_records++;
    }
    if (t.n_records == 0) {
        fprintf(stderr, "callbacks: %s is empty; it needs a header row\n", path);
        goto fail;
    }
    *out = t;
    return 0;
fail:
    csv_free(&t);
    return 1;
}

/* The index of the header column `name`, or -1 with a message. */
static long csv_column(const csv *t, const char *name, const char *path) {
    for (size_t c = 0; c < t->n_cols; c++) {
        if (strcmp(t->cells[c], name) == 0) return (long)c;
    }
    fprintf(stderr, "callbacks: %s has no column \"%s\"\n", path, name);
    return -1;
}

/* A number field: empty = NaN (unknown). Returns 0, or 1 with a message naming line and column
 * (records are numbered from the header, as lines when no field spans lines). */
static int parse_number(const char *s, double *out, const char *path, size_t record,
                        const char *column) {
    char *end = NULL;
    if (*s == '\0') {
        *out = NAN;
        return 0;
    }
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE) {
        fprintf(stderr, "callbacks: %s: record %zu: %s is \"%s\", not a number\n", path,
                record + 1, column, s);
        return 1;
    }
    return 0;
}

static int parse_time(const char *s, int64_t *out, const char *path, size_t record) {
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || end == s || *end != '\0' || errno == ERANGE) {
        fprintf(stderr,
                "callbacks: %s: record %zu: at is \"%s\", not seconds since 1970-01-01 UTC\n",
                path, record + 1, s);
        return 1;
    }
    *out = (int64_t)v;
    return 0;
}

/* ---------------------------------------------------------------- the run */

/* One touchpoint's row of the NPS table, for sorting. */
typedef struct {
    const char *touchpoint;
    nps_estimate e;
    bool small;
} tp_row;

/* One owner's share of the queue. */
typedef struct {
    const char *name;
    size_t alerts, urgent;
} owner_load;

static int by_nps(const void *a, const void *b) {
    double x = ((const tp_row *)a)->e.nps, y = ((const tp_row *)b)->e.nps;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *csv_path = argc > 1 ? argv[1] : "examples/data/tnps_yesterday.csv";
    const char *policy_path = argc > 2 ? argv[2] : "examples/data/alert_policy.json";
    int code = 0;
    csv t = {0};
    char *policy_json = NULL;
    int64_t *at = NULL;
    double *scores = NULL, *previous = NULL, *value = NULL;
    const char **customers = NULL, **touchpoints = NULL, **comments = NULL;
    tp_row *rows = NULL;
    owner_load *owners = NULL;
    nps_table *table = NULL;
    nps_grouping *groups = NULL;
    nps_alert_policy *policy = NULL;
    nps_alert_queue *queue = NULL;

    /* 1. Yesterday's responses, one column array each (the library copies what it keeps). */
    char *text = read_file(csv_path);
    if (text == NULL || csv_parse(text, csv_path, &t) != 0) {
        code = 1;
        goto done;
    }
    const char *names[] = {"at", "customer", "touchpoint", "score", "previous", "value",
                           "comment"};
    long col[7];
    for (size_t c = 0; c < 7; c++) {
        if ((col[c] = csv_column(&t, names[c], csv_path)) < 0) {
            code = 1;
            goto done;
        }
    }
    size_t n = t.n_records - 1;
    at = malloc((n + 1) * sizeof *at);
    scores = malloc((n + 1) * sizeof *scores);
    previous = malloc((n + 1) * sizeof *previous);
    value = malloc((n + 1) * sizeof *value);
    customers = malloc((n + 1) * sizeof *customers);
    touchpoints = malloc((n + 1) * sizeof *touchpoints);
    comments = malloc((n + 1) * sizeof *comments);
    if (!at || !scores || !previous || !value || !customers || !touchpoints || !comments) {
        fprintf(stderr, "callbacks: out of memory\n");
        code = 1;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char **cell = t.cells + (i + 1) * t.n_cols;
        customers[i] = cell[col[1]];
        touchpoints[i] = cell[col[2]]; /* "" = no touchpoint */
        comments[i] = cell[col[6]];    /* "" = no comment */
        if (parse_time(cell[col[0]], &at[i], csv_path, i + 1) ||
            parse_number(cell[col[3]], &scores[i], csv_path, i + 1, "score") ||
            parse_number(cell[col[4]], &previous[i], csv_path, i + 1, "previous") ||
            parse_number(cell[col[5]], &value[i], csv_path, i + 1, "value")) {
            code = 1;
            goto done;
        }
    }

    /* 2. Each touchpoint's NPS with its 95 % adjusted Wald interval, worst first. A touchpoint
     * with fewer than 30 answers is flagged: one day of tNPS is a small sample. */
    const char *by_touchpoint[] = {"touchpoint"};
    nps_group_options options;
    TRY(nps_table_new(scores, n, &table));
    TRY(nps_table_add_dimension(table, "touchpoint", touchpoints, n));
    TRY(nps_group_options_default(&options));
    options.margins = true;
    TRY(nps_group_by(table, by_touchpoint, 1, NULL, &options, &groups));
    size_t n_groups = 0, n_rows = 0;
    TRY(nps_grouping_len(groups, &n_groups));
    rows = calloc(n_groups + 1, sizeof *rows);
    if (rows == NULL) {
        fprintf(stderr, "callbacks: out of memory\n");
        code = 1;
        goto done;
    }
    tp_row total = {"(all)", {0}, false};
    for (size_t g = 0; g < n_groups; g++) {
        const char *level = NULL;
        nps_level_kind kind;
        tp_row row = {NULL, {0}, false};
        TRY(nps_grouping_level(groups, g, 0, &level, &kind));
        if (nps_grouping_estimate(groups, g, &row.e, &row.small) != NPS_OK) continue;
        if (kind == NPS_LEVEL_ALL) {
            total.e = row.e;
            total.small = row.small;
            continue;
        }
        row.touchpoint = kind == NPS_LEVEL_VALUE ? level : "(none)";
        rows[n_rows++] = row;
    }
    qsort(rows, n_rows, sizeof *rows, by_nps);
    rows[n_rows++] = total;
    printf("Yesterday's tNPS by touchpoint (%zu responses; 95 %% adjusted Wald interval)\n\n", n);
    printf("  %-26s %5s %8s  %-17s\n", "touchpoint", "n", "NPS", "interval");
    for (size_t k = 0; k < n_rows; k++) {
        const nps_estimate *e = &rows[k].e;
        char interval[40];
        snprintf(interval, sizeof interval, "[%.1f, %.1f]", e->low, e->high);
        printf("  %-26s %5llu %8.1f  %-17s%s\n", rows[k].touchpoint, (unsigned long long)e->n,
               e->nps, interval, rows[k].small ? " *" : "");
    }
    printf("\n  * fewer than %llu answers: report it, but do not read much into it\n\n",
           (unsigned long long)options.min_n);

    /* 3. The alert policy and the call-back queue. */
    policy_json = read_file(policy_path);
    if (policy_json == NULL) {
        code = 1;
        goto done;
    }
    TRY(nps_alert_policy_from_json(policy_json, &policy));
    nps_alert_responses batch = {0};
    batch.n = n;
    batch.at = at;
    batch.customers = customers;
    batch.touchpoints = touchpoints;
    batch.scores = scores;
    batch.previous = previous;
    batch.value = value;
    batch.comments = comments;
    batch.utf8_policy = "replace"; /* a garbled comment must not hold up a call-back */
    TRY(nps_alerts_evaluate(policy, &batch, &queue));

    size_t n_alerts = 0, n_owners = 0;
    TRY(nps_alert_queue_len(queue, &n_alerts));
    owners = calloc(n_alerts + 1, sizeof *owners); /* owner names are lent by the queue */
    if (owners == NULL) {
        fprintf(stderr, "callbacks: out of memory\n");
        code = 1;
        goto done;
    }
    printf("Call-back queue (回访): %zu alerts, most urgent first\n\n", n_alerts);
    printf("  %-3s %-20s ", "P", "due (UTC)");
    print_padded("owner", 15);
    printf("%-8s %-26s %5s  %s\n", "customer", "touchpoint", "score", "rules / comment");
    for (size_t i = 0; i < n_alerts; i++) {
        nps_alert a;
        char due[64], score[8];
        uint64_t first = 0;
        TRY(nps_alert_queue_get(queue, i, &a));
        TRY(nps_alert_queue_response(queue, i, 0, &first));
        format_utc(a.due_at, due);
        if (a.score != a.score) strcpy(score, "-");
        else snprintf(score, sizeof score, "%.0f", a.score);
        printf("  P%-2u %-20s ", (unsigned)a.priority, due);
        print_padded(a.owner, 15);
        printf("%-8s %-26s %5s  ", a.customer, a.touchpoint ? a.touchpoint : "-", score);
        for (size_t r = 0; r < a.n_rules; r++) {
            const char *rule = NULL;
            TRY(nps_alert_queue_rule(queue, i, r, &rule));
            printf("%s%s", r ? "," : "", rule);
        }
        if (a.n_responses > 1) printf(" (%zu responses)", a.n_responses);
        if (comments[first][0] != '\0') printf(" 「%s」", comments[first]);
        putchar('\n');
        /* The workload of each owner (a handful of teams: a linear search will do). */
        size_t o = 0;
        while (o < n_owners && strcmp(owners[o].name, a.owner) != 0) o++;
        if (o == n_owners) owners[n_owners++].name = a.owner;
        owners[o].alerts++;
        owners[o].urgent += a.priority <= 2;
    }
    printf("\nWorkload by owner (alerts; of which priority 1-2)\n\n");
    for (size_t o = 0; o < n_owners; o++) {
        printf("  ");
        print_padded(owners[o].name, 15);
        printf("%4zu  %4zu\n", owners[o].alerts, owners[o].urgent);
    }

done:
    nps_alert_queue_free(queue);
    nps_alert_policy_free(policy);
    nps_grouping_free(groups);
    nps_table_free(table);
    free(rows);
    free(owners);
    free(policy_json);
    free(at);
    free(scores);
    free(previous);
    free(value);
    free(customers);
    free(touchpoints);
    free(comments);
    csv_free(&t);
    return code;
}
