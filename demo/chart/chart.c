// The demo's chart plugin, in C against the bindings `lazylink bindgen
// chart.wit --lang c` writes (gen/). It is a component of its own: it sees
// only the title and rows that cross the typed boundary, and returns an SVG
// bar chart (or an error message) the same way.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_plugin.h"

typedef chart_plugin_string_t str_t;
typedef lazylink_demo_chart_chart_row_t row_t;

enum { kMaxBars = 60 };

// --- a growable string --------------------------------------------------------

typedef struct {
  char *data;
  size_t len, cap;
  int failed;
} buf_t;

static void put(buf_t *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void printf_(buf_t *b, const char *fmt, double a, double c) {
  char tmp[96];
  int n = snprintf(tmp, sizeof tmp, fmt, a, c);
  if (n > 0) put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

// Text content and attribute values: XML-escaped, and cut after `limit`
// characters (UTF-8 aware) with an ellipsis.
static void put_text(buf_t *b, const str_t *s, size_t limit) {
  size_t chars = 0;
  for (size_t i = 0; i < s->len; i++) {
    uint8_t c = s->ptr[i];
    if ((c & 0xc0) != 0x80 && ++chars > limit) {
      puts_(b, "\xe2\x80\xa6");
      return;
    }
    switch (c) {
      case '<': puts_(b, "&lt;"); break;
      case '>': puts_(b, "&gt;"); break;
      case '&': puts_(b, "&amp;"); break;
      case '"': puts_(b, "&quot;"); break;
      default:
        if (c >= 0x20 || c == '\t') put(b, (const char *)&s->ptr[i], 1);
    }
  }
}

static void fail(chart_plugin_result_string_string_t *ret, buf_t *msg) {
  ret->is_err = true;
  if (msg->failed || !msg->data) {
    free(msg->data);
    chart_plugin_string_dup(&ret->val.err, "out of memory");
    return;
  }
  ret->val.err.ptr = (uint8_t *)msg->data;
  ret->val.err.len = msg->len;
}

static void fail_text(chart_plugin_result_string_string_t *ret, const char *text) {
  buf_t e = {0};
  puts_(&e, text);
  fail(ret, &e);
}

// Axis ticks: a "nice" step (1, 2 or 5 times a power of ten) giving about
// five intervals up to `max`.
static double tick_step(double max) {
  double raw = max / 5;
  double p = pow(10, floor(log10(raw)));
  double m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static const char *const kColors[] = {"#3b6ea5", "#e07b39", "#4a9a5b", "#b8483f", "#7d5ba6", "#8c6d46"};

void exports_lazylink_demo_chart_chart_render(const str_t *title, const chart_plugin_list_row_t *rows,
                                              chart_plugin_result_string_string_t *ret) {
  if (rows->len == 0) {
    fail_text(ret, "nothing to chart: the result has no rows");
    return;
  }
  if (rows->len > kMaxBars) {
    buf_t e = {0};
    printf_(&e, "too many rows to chart: %.0f (at most %.0f)", (double)rows->len, kMaxBars);
    fail(ret, &e);
    return;
  }
  double max = 0;
  for (size_t i = 0; i < rows->len; i++) {
    double v = rows->ptr[i].value;
    if (!isfinite(v) || v < 0) {
      buf_t e = {0};
      puts_(&e, "row \"");
      put_text(&e, &rows->ptr[i].label, 40);
      puts_(&e, v < 0 ? "\" has a negative value" : "\" has a value that is not a finite number");
      puts_(&e, "; the chart draws values from 0 up");
      fail(ret, &e);
      return;
    }
    if (v > max) max = v;
  }

  const double width = 640, left = 150, right = 70, top = 44, bar = 22, gap = 8;
  const double plot = width - left - right;
  const double height = top + rows->len * (bar + gap) + 30;
  const double step = max > 0 ? tick_step(max) : 1;
  const double scale_max = max > 0 ? ceil(max / step) * step : 1;

  buf_t b = {0};
  printf_(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lazylink-chart\" width=\"%.0f\" height=\"%.0f\"",
          width, height);
  printf_(&b, " viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">", width, height);
  puts_(&b, "<title>");
  put_text(&b, title, 200);
  puts_(&b, "</title>");
  printf_(&b, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>", width, height);
  printf_(&b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"15\" font-weight=\"bold\">", left, 24);
  put_text(&b, title, 70);
  puts_(&b, "</text>");
  // Grid lines and tick labels.
  for (double t = 0; t <= scale_max + step / 2; t += step) {
    double x = left + t / scale_max * plot;
    printf_(&b, "<line x1=\"%.1f\" x2=\"%.1f\"", x, x);
    printf_(&b, " y1=\"%.0f\" y2=\"%.0f\" stroke=\"#ddd\"/>", top - 4, height - 26);
    printf_(&b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#666\">", x, height - 10);
    printf_(&b, "%g</text>", t, 0);
  }
  for (size_t i = 0; i < rows->len; i++) {
    const row_t *r = &rows->ptr[i];
    double y = top + i * (bar + gap);
    double w = r->value / scale_max * plot;
    printf_(&b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + bar / 2 + 4);
    put_text(&b, &r->label, 22);
    puts_(&b, "</text>");
    printf_(&b, "<rect class=\"bar\" x=\"%.0f\" y=\"%.0f\"", left, y);
    printf_(&b, " width=\"%.1f\" height=\"%.0f\" fill=\"", w, bar);
    puts_(&b, kColors[i % (sizeof kColors / sizeof kColors[0])]);
    puts_(&b, "\"/>");
    printf_(&b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333\">", left + w + 5, y + bar / 2 + 4);
    printf_(&b, "%g</text>", r->value, 0);
  }
  puts_(&b, "</svg>");
  if (b.failed) {
    free(b.data);
    fail_text(ret, "out of memory");
    return;
  }
  ret->is_err = false;
  ret->val.ok.ptr = (uint8_t *)b.data;
  ret->val.ok.len = b.len;
}
