// The end-to-end test's plugin component, in C against the bindings that
// `lazylink bindgen plugins.wit --world plugin` generates (plugin.h/.c).
// It owns its memory: it sees only what crosses the typed boundary.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

typedef plugin_string_t str_t;

// --- a small growable string --------------------------------------------------

typedef struct {
  char *data;
  size_t len, cap;
} buf_t;

static void put(buf_t *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->data = realloc(b->data, b->cap);
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void putf(buf_t *b, const char *fmt, double v) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, fmt, v);
  put(b, tmp, (size_t)n);
}

static void put_xml(buf_t *b, const str_t *s) {
  for (size_t i = 0; i < s->len; i++) {
    switch (s->ptr[i]) {
      case '<': puts_(b, "&lt;"); break;
      case '>': puts_(b, "&gt;"); break;
      case '&': puts_(b, "&amp;"); break;
      case '"': puts_(b, "&quot;"); break;
      default: put(b, (const char *)&s->ptr[i], 1);
    }
  }
}

// Moves a buffer into a string the bindings free after the call.
static void take(str_t *out, buf_t *b) {
  out->ptr = (uint8_t *)b->data;
  out->len = b->len;
  if (!b->data) plugin_string_dup(out, "");
}

// --- chart ------------------------------------------------------------------

void exports_demo_plugins_chart_render(const str_t *title, const plugin_list_row_t *rows,
                                       plugin_result_string_string_t *ret) {
  if (rows->len == 0) {
    ret->is_err = true;
    plugin_string_dup(&ret->val.err, "no rows to chart");
    return;
  }
  double max = 0;
  for (size_t i = 0; i < rows->len; i++) {
    double v = rows->ptr[i].value;
    if (!isfinite(v) || v < 0) {
      buf_t e = {0};
      puts_(&e, "row \"");
      put(&e, (const char *)rows->ptr[i].label.ptr, rows->ptr[i].label.len);
      puts_(&e, "\" has a value that cannot be charted");
      ret->is_err = true;
      take(&ret->val.err, &e);
      return;
    }
    if (v > max) max = v;
  }
  const double bar = 40, gap = 10, height = 200;
  buf_t b = {0};
  putf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\"", rows->len * (bar + gap) + gap);
  putf(&b, " height=\"%.0f\">", height + 40);
  puts_(&b, "<title>");
  put_xml(&b, title);
  puts_(&b, "</title>");
  for (size_t i = 0; i < rows->len; i++) {
    double h = max > 0 ? rows->ptr[i].value / max * height : 0;
    double x = gap + i * (bar + gap);
    putf(&b, "<rect x=\"%.0f\"", x);
    putf(&b, " y=\"%.1f\"", height - h);
    putf(&b, " width=\"%.0f\"", bar);
    putf(&b, " height=\"%.1f\"/>", h);
    putf(&b, "<text x=\"%.0f\"", x);
    putf(&b, " y=\"%.0f\">", height + 20);
    put_xml(&b, &rows->ptr[i].label);
    puts_(&b, "</text>");
  }
  puts_(&b, "</svg>");
  ret->is_err = false;
  take(&ret->val.ok, &b);
}

// --- plugin-api -------------------------------------------------------------

void exports_demo_plugins_plugin_api_echo(const str_t *s, str_t *ret) {
  plugin_string_dup_n(ret, (const char *)s->ptr, s->len);
}

void exports_demo_plugins_plugin_api_reverse(const plugin_list_u8_t *bytes, plugin_list_u8_t *ret) {
  ret->len = bytes->len;
  ret->ptr = bytes->len ? malloc(bytes->len) : NULL;
  for (size_t i = 0; i < bytes->len; i++) ret->ptr[i] = bytes->ptr[bytes->len - 1 - i];
}

double exports_demo_plugins_plugin_api_sum(const plugin_list_f64_t *values) {
  double s = 0;
  for (size_t i = 0; i < values->len; i++) s += values->ptr[i];
  return s;
}

void exports_demo_plugins_plugin_api_describe(const demo_plugins_types_shape_t *s, str_t *ret) {
  char tmp[96];
  switch (s->tag) {
    case DEMO_PLUGINS_TYPES_SHAPE_CIRCLE:
      snprintf(tmp, sizeof tmp, "circle of radius %g", s->val.circle);
      break;
    case DEMO_PLUGINS_TYPES_SHAPE_RECT:
      snprintf(tmp, sizeof tmp, "rect %ux%u", s->val.rect.f0, s->val.rect.f1);
      break;
    case DEMO_PLUGINS_TYPES_SHAPE_NAMED:
      snprintf(tmp, sizeof tmp, "shape named '%.*s'", (int)s->val.named.len, s->val.named.ptr);
      break;
    default:
      snprintf(tmp, sizeof tmp, "nothing");
  }
  plugin_string_dup(ret, tmp);
}

void exports_demo_plugins_plugin_api_area(const demo_plugins_types_shape_t *s,
                                          plugin_option_f64_t *ret) {
  ret->is_some = true;
  switch (s->tag) {
    case DEMO_PLUGINS_TYPES_SHAPE_CIRCLE: ret->val = 3.0 * s->val.circle * s->val.circle; break;
    case DEMO_PLUGINS_TYPES_SHAPE_RECT: ret->val = (double)s->val.rect.f0 * s->val.rect.f1; break;
    default: ret->is_some = false;
  }
}

static bool eq(const str_t *s, const char *lit) {
  return s->len == strlen(lit) && memcmp(s->ptr, lit, s->len) == 0;
}

void exports_demo_plugins_plugin_api_parse_color(const str_t *name,
                                                 plugin_result_color_string_t *ret) {
  ret->is_err = false;
  if (eq(name, "red")) ret->val.ok = DEMO_PLUGINS_TYPES_COLOR_RED;
  else if (eq(name, "green")) ret->val.ok = DEMO_PLUGINS_TYPES_COLOR_GREEN;
  else if (eq(name, "blue")) ret->val.ok = DEMO_PLUGINS_TYPES_COLOR_BLUE;
  else {
    buf_t e = {0};
    puts_(&e, "unknown color '");
    put(&e, (const char *)name->ptr, name->len);
    puts_(&e, "'");
    ret->is_err = true;
    take(&ret->val.err, &e);
  }
}

demo_plugins_types_style_t exports_demo_plugins_plugin_api_toggle(demo_plugins_types_style_t s) {
  return s ^ DEMO_PLUGINS_TYPES_STYLE_BOLD;
}

void exports_demo_plugins_plugin_api_normalize(const demo_plugins_types_settings_t *s,
                                               demo_plugins_types_settings_t *ret) {
  plugin_string_dup_n(&ret->name, (const char *)s->name.ptr, s->name.len);
  for (size_t i = 0; i < ret->name.len; i++)
    if (ret->name.ptr[i] >= 'a' && ret->name.ptr[i] <= 'z') ret->name.ptr[i] -= 32;
  ret->size.is_some = true;
  ret->size.val = s->size.is_some ? s->size.val : 12;
  ret->tags.len = s->tags.len + 1;
  ret->tags.ptr = malloc(sizeof(str_t) * ret->tags.len);
  for (size_t i = 0; i < s->tags.len; i++)
    plugin_string_dup_n(&ret->tags.ptr[i], (const char *)s->tags.ptr[i].ptr, s->tags.ptr[i].len);
  plugin_string_dup(&ret->tags.ptr[s->tags.len], "normalized");
  ret->color = s->color;
  ret->style = s->style | DEMO_PLUGINS_TYPES_STYLE_UNDERLINE;
}

void exports_demo_plugins_plugin_api_find(const plugin_list_string_t *words, const str_t *needle,
                                          plugin_option_u32_t *ret) {
  ret->is_some = false;
  for (size_t i = 0; i < words->len; i++)
    if (words->ptr[i].len == needle->len &&
        memcmp(words->ptr[i].ptr, needle->ptr, needle->len) == 0) {
      ret->is_some = true;
      ret->val = (uint32_t)i;
      return;
    }
}

uint32_t exports_demo_plugins_plugin_api_add(uint32_t a, uint32_t b) { return a + b; }

uint32_t exports_demo_plugins_plugin_api_scale(uint32_t x, uint8_t factor, bool clamp) {
  uint32_t r = x * factor;
  return clamp && r > 1000000 ? 1000000 : r;
}

uint32_t exports_demo_plugins_plugin_api_consume_bytes(const plugin_list_u8_t *bytes) {
  return (uint32_t)bytes->len + (bytes->len ? bytes->ptr[bytes->len - 1] : 0);
}

uint32_t exports_demo_plugins_plugin_api_consume_string(const str_t *s) {
  return (uint32_t)s->len + (s->len ? s->ptr[s->len - 1] : 0);
}

static void line(plugin_list_string_t *out, buf_t *b) {
  out->ptr = realloc(out->ptr, sizeof(str_t) * (out->len + 1));
  take(&out->ptr[out->len++], b);
  memset(b, 0, sizeof *b);
}

void exports_demo_plugins_plugin_api_call_host(plugin_list_string_t *ret) {
  ret->ptr = NULL;
  ret->len = 0;
  buf_t b = {0};
  str_t msg;
  plugin_string_set(&msg, "hello from the plugin");
  demo_plugins_host_log(&msg);

  const char *keys[] = {"theme", "missing"};
  for (int k = 0; k < 2; k++) {
    str_t key;
    plugin_string_set(&key, keys[k]);
    plugin_option_string_t v;
    demo_plugins_host_config(&key, &v);
    puts_(&b, "config ");
    puts_(&b, keys[k]);
    if (v.is_some) {
      puts_(&b, " = ");
      put(&b, (const char *)v.val.ptr, v.val.len);
    } else {
      puts_(&b, " is not set");
    }
    line(ret, &b);
    plugin_option_string_free(&v);
  }

  plugin_list_row_t rows;
  demo_plugins_host_data(&rows);
  puts_(&b, "data:");
  for (size_t i = 0; i < rows.len; i++) {
    puts_(&b, " ");
    put(&b, (const char *)rows.ptr[i].label.ptr, rows.ptr[i].label.len);
    putf(&b, "=%g", rows.ptr[i].value);
  }
  line(ret, &b);
  plugin_list_row_free(&rows);

  static const char *names[] = {"red", "green", "blue"};
  puts_(&b, "favorite color: ");
  puts_(&b, names[demo_plugins_host_favorite()]);
  line(ret, &b);

  const int32_t divs[][2] = {{7, 2}, {1, 0}};
  for (int k = 0; k < 2; k++) {
    plugin_result_s32_string_t r;
    demo_plugins_host_checked_div(divs[k][0], divs[k][1], &r);
    putf(&b, "%g / ", divs[k][0]);
    putf(&b, "%g = ", divs[k][1]);
    if (r.is_err) {
      puts_(&b, "error: ");
      put(&b, (const char *)r.val.err.ptr, r.val.err.len);
    } else {
      putf(&b, "%g", r.val.ok);
    }
    line(ret, &b);
    plugin_result_s32_string_free(&r);
  }
}

uint8_t exports_demo_plugins_plugin_api_peek(uint32_t addr) {
  return *(volatile uint8_t *)(uintptr_t)addr;
}

void exports_demo_plugins_plugin_api_crash(void) { __builtin_trap(); }

void exports_demo_plugins_plugin_api_bad_utf8(str_t *ret) {
  plugin_string_dup_n(ret, "ok\xff\xfe", 4);
}

void exports_demo_plugins_plugin_api_bad_shape(demo_plugins_types_shape_t *ret) {
  memset(ret, 0, sizeof *ret);
  ret->tag = 9;
}

uint32_t exports_demo_plugins_plugin_api_bad_char(void) { return 0xd800; }

void exports_demo_plugins_plugin_api_bad_list(uint8_t kind, plugin_list_u32_t *ret) {
  switch (kind) {
    case 0: ret->ptr = (uint32_t *)1; ret->len = 1; break;              // misaligned
    case 1: ret->ptr = (uint32_t *)0xfffffff0u; ret->len = 4; break;    // out of bounds
    case 2: ret->ptr = (uint32_t *)0xfffffff0u; ret->len = 0; break;    // out of bounds, empty
    default: ret->ptr = (uint32_t *)8; ret->len = 0x10000000u; break;  // over 2^28 - 1 bytes
  }
}
