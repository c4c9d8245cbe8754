// The end-to-end test's host component, in C++ against the bindings that
// `lazylink bindgen plugins.wit --world host-app` generates (host_app.h/.c).
// It calls the plugin through `chart` and `plugin-api` and serves the
// plugin's calls to `host`; JS drives it through `app`.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "host_app.h"

extern "C" uint32_t bench_add(uint32_t a, uint32_t b);  // libhostbench.wasm
extern "C" uint32_t bench_scale(uint32_t x, uint8_t factor, bool clamp);

namespace {

using Str = host_app_string_t;

std::vector<std::string> g_log;
uint32_t g_calls = 0;
// What the isolation test tries to read from the plugin's side.
const char kSecret[] = "host secret: the answer is 42";

std::string S(const Str& s) { return std::string(reinterpret_cast<const char*>(s.ptr), s.len); }
Str View(const std::string& s) { return Str{(uint8_t*)s.data(), s.size()}; }
void Dup(Str* out, const std::string& s) { host_app_string_dup_n(out, s.data(), s.size()); }

std::string Num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

const char* kColors[] = {"red", "green", "blue"};

std::string StyleText(demo_plugins_types_style_t s) {
  std::string out;
  if (s & DEMO_PLUGINS_TYPES_STYLE_BOLD) out += "bold ";
  if (s & DEMO_PLUGINS_TYPES_STYLE_ITALIC) out += "italic ";
  if (s & DEMO_PLUGINS_TYPES_STYLE_UNDERLINE) out += "underline ";
  return out.empty() ? "plain" : out.substr(0, out.size() - 1);
}

void MoveLines(const std::vector<std::string>& lines, host_app_list_string_t* ret) {
  ret->len = lines.size();
  ret->ptr = static_cast<Str*>(malloc(sizeof(Str) * (lines.size() ? lines.size() : 1)));
  for (size_t i = 0; i < lines.size(); ++i) Dup(&ret->ptr[i], lines[i]);
}

}  // namespace

extern "C" {

// --- host: what the plugin calls ----------------------------------------------

void exports_demo_plugins_host_log(const Str* msg) {
  ++g_calls;
  g_log.push_back("plugin logged: " + S(*msg));
}

void exports_demo_plugins_host_config(const Str* key, host_app_option_string_t* ret) {
  ++g_calls;
  ret->is_some = S(*key) == "theme";
  if (ret->is_some) host_app_string_dup(&ret->val, "dark");
}

void exports_demo_plugins_host_data(host_app_list_row_t* ret) {
  ++g_calls;
  const char* labels[] = {"apples", "pears", "plums"};
  const double values[] = {3, 5.5, 1.25};
  ret->len = 3;
  ret->ptr = static_cast<demo_plugins_types_row_t*>(malloc(sizeof(demo_plugins_types_row_t) * 3));
  for (int i = 0; i < 3; ++i) {
    host_app_string_dup(&ret->ptr[i].label, labels[i]);
    ret->ptr[i].value = values[i];
  }
}

demo_plugins_types_color_t exports_demo_plugins_host_favorite(void) {
  ++g_calls;
  return DEMO_PLUGINS_TYPES_COLOR_BLUE;
}

void exports_demo_plugins_host_checked_div(int32_t a, int32_t b,
                                           host_app_result_s32_string_t* ret) {
  ++g_calls;
  ret->is_err = b == 0;
  if (b == 0) host_app_string_dup(&ret->val.err, "division by zero");
  else ret->val.ok = a / b;
}

// --- app: what JS calls -----------------------------------------------------------

void exports_demo_plugins_app_run(host_app_list_string_t* ret) {
  std::vector<std::string> out;
  g_log.clear();

  {  // strings
    std::string text = "h\xc3\xa9llo, w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x8c\x8d";
    Str in = View(text), echoed;
    demo_plugins_plugin_api_echo(&in, &echoed);
    out.push_back("echo: " + S(echoed) + (S(echoed) == text ? " (same bytes)" : " (DIFFERENT)"));
    host_app_string_free(&echoed);
  }
  {  // lists
    uint8_t bytes[] = {1, 2, 3, 4, 250};
    host_app_list_u8_t in{bytes, 5}, rev;
    demo_plugins_plugin_api_reverse(&in, &rev);
    std::string s = "reverse:";
    for (size_t i = 0; i < rev.len; ++i) s += " " + std::to_string(rev.ptr[i]);
    out.push_back(s);
    host_app_list_u8_free(&rev);
    double values[] = {1.5, 2.5, 3};
    host_app_list_f64_t v{values, 3};
    out.push_back("sum: " + Num(demo_plugins_plugin_api_sum(&v)));
  }
  {  // variants and options
    demo_plugins_types_shape_t shapes[4];
    shapes[0].tag = DEMO_PLUGINS_TYPES_SHAPE_CIRCLE;
    shapes[0].val.circle = 1.5f;
    shapes[1].tag = DEMO_PLUGINS_TYPES_SHAPE_RECT;
    shapes[1].val.rect = {3, 4};
    shapes[2].tag = DEMO_PLUGINS_TYPES_SHAPE_NAMED;
    std::string name = "hexagon";
    shapes[2].val.named = View(name);
    shapes[3].tag = DEMO_PLUGINS_TYPES_SHAPE_EMPTY;
    for (auto& shape : shapes) {
      Str d;
      demo_plugins_plugin_api_describe(&shape, &d);
      host_app_option_f64_t area;
      demo_plugins_plugin_api_area(&shape, &area);
      out.push_back("shape: " + S(d) + ", area " + (area.is_some ? Num(area.val) : "none"));
      host_app_string_free(&d);
    }
  }
  {  // results and enums
    for (const char* c : {"green", "purple"}) {
      std::string name = c;
      Str in = View(name);
      host_app_result_color_string_t r;
      demo_plugins_plugin_api_parse_color(&in, &r);
      out.push_back(std::string("parse-color ") + c + ": " +
                    (r.is_err ? "error: " + S(r.val.err) : std::string("ok ") + kColors[r.val.ok]));
      host_app_result_color_string_free(&r);
    }
  }
  {  // flags
    demo_plugins_types_style_t s = DEMO_PLUGINS_TYPES_STYLE_BOLD | DEMO_PLUGINS_TYPES_STYLE_ITALIC;
    out.push_back("toggle: " + StyleText(s) + " -> " +
                  StyleText(demo_plugins_plugin_api_toggle(s)));
  }
  {  // records with everything inside
    std::string name = "compact", t1 = "x", t2 = "y";
    Str tags[] = {View(t1), View(t2)};
    demo_plugins_types_settings_t in;
    in.name = View(name);
    in.size.is_some = false;
    in.tags = {tags, 2};
    in.color = DEMO_PLUGINS_TYPES_COLOR_GREEN;
    in.style = DEMO_PLUGINS_TYPES_STYLE_ITALIC;
    demo_plugins_types_settings_t n;
    demo_plugins_plugin_api_normalize(&in, &n);
    std::string s = "normalize: name " + S(n.name) + ", size " +
                    (n.size.is_some ? std::to_string(n.size.val) : "none") + ", tags";
    for (size_t i = 0; i < n.tags.len; ++i) s += " " + S(n.tags.ptr[i]);
    s += std::string(", color ") + kColors[n.color] + ", style " + StyleText(n.style);
    out.push_back(s);
    demo_plugins_types_settings_free(&n);
  }
  {  // list<string> and option<u32>
    std::string w[] = {"alpha", "beta", "gamma"};
    Str words[] = {View(w[0]), View(w[1]), View(w[2])};
    host_app_list_string_t list{words, 3};
    for (const char* needle : {"gamma", "delta"}) {
      std::string nd = needle;
      Str n = View(nd);
      host_app_option_u32_t at;
      demo_plugins_plugin_api_find(&list, &n, &at);
      out.push_back(std::string("find ") + needle + ": " +
                    (at.is_some ? "at " + std::to_string(at.val) : "none"));
    }
  }
  {  // the demo's chart
    std::string title = "Fruit <sales>";
    std::string l[] = {"apples", "pears", "plums"};
    demo_plugins_types_row_t rows[] = {{View(l[0]), 3}, {View(l[1]), 5.5}, {View(l[2]), 1.25}};
    host_app_list_row_t list{rows, 3};
    Str t = View(title);
    host_app_result_string_string_t svg;
    demo_plugins_chart_render(&t, &list, &svg);
    if (svg.is_err) {
      out.push_back("render: error: " + S(svg.val.err));
    } else {
      std::string s = S(svg.val.ok);
      out.push_back("render: " + std::to_string(s.size()) + " bytes of SVG, " +
                    (s.find("<title>Fruit &lt;sales&gt;</title>") != std::string::npos
                         ? "title escaped"
                         : "TITLE MISSING") +
                    ", starts " + s.substr(0, 40));
    }
    host_app_result_string_string_free(&svg);
    host_app_list_row_t none{nullptr, 0};
    demo_plugins_chart_render(&t, &none, &svg);
    out.push_back("render with no rows: " + (svg.is_err ? "error: " + S(svg.val.err) : "ok?"));
    host_app_result_string_string_free(&svg);
  }
  {  // the plugin calling back into the host
    host_app_list_string_t lines;
    demo_plugins_plugin_api_call_host(&lines);
    for (size_t i = 0; i < lines.len; ++i) out.push_back("plugin: " + S(lines.ptr[i]));
    host_app_list_string_free(&lines);
  }
  for (const std::string& l : g_log) out.push_back(l);
  MoveLines(out, ret);
}

uint32_t exports_demo_plugins_app_secret_address(void) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(kSecret));
}

void exports_demo_plugins_app_secret(Str* ret) { host_app_string_dup(ret, kSecret); }

uint32_t exports_demo_plugins_app_calls(void) { return g_calls; }

uint32_t exports_demo_plugins_app_bench_scalar(uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; ++i) s = demo_plugins_plugin_api_add(s, i);
  return s;
}

uint32_t exports_demo_plugins_app_bench_scale(uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; ++i) s += demo_plugins_plugin_api_scale(i, static_cast<uint8_t>(i), (i & 1) != 0);
  return s;
}

uint32_t exports_demo_plugins_app_bench_scale_direct(uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; ++i) s += bench_scale(i, static_cast<uint8_t>(i), (i & 1) != 0);
  return s;
}

uint32_t exports_demo_plugins_app_bench_direct(uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; ++i) s = bench_add(s, i);
  return s;
}

namespace {
// A pointer, not a reference: this file's exports have C linkage.
std::vector<uint8_t>* Buffer(size_t size, bool ascii) {
  static std::vector<uint8_t> bytes, text;
  std::vector<uint8_t>& b = ascii ? text : bytes;
  if (b.size() != size) {
    b.resize(size);
    for (size_t i = 0; i < size; ++i) b[i] = ascii ? 'a' + i % 26 : static_cast<uint8_t>(i * 7);
  }
  return &b;
}
}  // namespace

uint32_t exports_demo_plugins_app_bench_bytes(uint32_t size, uint32_t iterations) {
  std::vector<uint8_t>& b = *Buffer(size, false);
  host_app_list_u8_t list{b.data(), b.size()};
  uint32_t s = 0;
  for (uint32_t i = 0; i < iterations; ++i) s += demo_plugins_plugin_api_consume_bytes(&list);
  return s;
}

uint32_t exports_demo_plugins_app_bench_string(uint32_t size, uint32_t iterations) {
  std::vector<uint8_t>& b = *Buffer(size, true);
  Str str{b.data(), b.size()};
  uint32_t s = 0;
  for (uint32_t i = 0; i < iterations; ++i) s += demo_plugins_plugin_api_consume_string(&str);
  return s;
}

uint32_t exports_demo_plugins_app_bench_memcpy(uint32_t size, uint32_t iterations) {
  std::vector<uint8_t>& b = *Buffer(size, false);
  static std::vector<uint8_t> copy;
  copy.resize(size);
  uint32_t s = 0;
  for (uint32_t i = 0; i < iterations; ++i) {
    std::memcpy(copy.data(), b.data(), size);
    s += copy[size - 1 - i % size];
  }
  return s;
}

void exports_demo_plugins_app_provoke(uint8_t kind, Str* ret) {
  switch (kind) {
    case 0: {
      Str s;
      demo_plugins_plugin_api_bad_utf8(&s);
      *ret = s;
      return;
    }
    case 1: {
      demo_plugins_types_shape_t shape;
      demo_plugins_plugin_api_bad_shape(&shape);
      break;
    }
    case 2:
      demo_plugins_plugin_api_bad_char();
      break;
    case 3:
    case 4:
    case 5:
    case 6: {
      host_app_list_u32_t list;
      demo_plugins_plugin_api_bad_list(static_cast<uint8_t>(kind - 3), &list);
      host_app_list_u32_free(&list);
      break;
    }
    default:
      demo_plugins_plugin_api_crash();
  }
  host_app_string_dup(ret, "no trap?");
}

}  // extern "C"
