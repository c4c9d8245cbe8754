// Linked into libstd.wasm: the functions of Emscripten 3.1.6's JS library
// (src/library*.js) that C can do as well as JS, written in C so that they
// need no host import: assert, clocks, strptime, libuuid, the protocol
// database, emscripten_math_*, emscripten_log, the trace API. What only JS
// can do (running scripts, the event loop, stack traces) is in
// runtime/host/library.mjs; runtime/derive/ derives the whole list from the
// toolchain and checks that each one exists (docs/runtime.md).
#include <ctype.h>
#include <emscripten.h>
#include <emscripten/console.h>
#include <emscripten/em_math.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/timeb.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

// Not `used`: an app-specific libstd (lazylink_add_libstd) keeps only what
// the app needs; the general one exports every default-visibility function.
#define EXPORT __attribute__((visibility("default")))

// Host (runtime/host/library.mjs).
void _lazylink_abort_js(const char* reason) __attribute__((noreturn));

// --- assert ------------------------------------------------------------------

// Emscripten's message: "Assertion failed: EXPR, at: FILE,LINE,FUNC", then
// abort (status 134).
EXPORT void __assert_fail(const char* expr, const char* file, int line, const char* func) {
  char text[1024];
  snprintf(text, sizeof text, "Assertion failed: %s, at: %s,%d,%s", expr ? expr : "",
           file ? file : "unknown filename", line, func ? func : "unknown function");
  _lazylink_abort_js(text);
}

// --- time --------------------------------------------------------------------

// Processor time as Emscripten measures it: wall time since the first call,
// in CLOCKS_PER_SEC (1,000,000) units.
EXPORT clock_t clock(void) {
  static double start = -1;
  double now = emscripten_get_now();
  if (start < 0) start = now;
  return (clock_t)((now - start) * (CLOCKS_PER_SEC / 1000));
}

EXPORT double difftime(time_t t1, time_t t0) { return (double)t1 - (double)t0; }

static int is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

EXPORT int dysize(int year) { return is_leap(year) ? 366 : 365; }

EXPORT int ftime(struct timeb* tp) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tp->time = ts.tv_sec;
  tp->millitm = (unsigned short)(ts.tv_nsec / 1000000);
  tp->timezone = 0;
  tp->dstflag = 0;
  return 0;
}

EXPORT int timespec_get(struct timespec* ts, int base) {
  if (base != TIME_UTC) return 0;
  if (clock_gettime(CLOCK_REALTIME, ts) != 0) return 0;
  return base;
}

// There is no load average to read: Emscripten reports 0.1 for each.
EXPORT int getloadavg(double loadavg[], int nelem) {
  int n = nelem < 3 ? nelem : 3;
  for (int i = 0; i < n; i++) loadavg[i] = 0.1;
  return n;
}

// --- strptime ----------------------------------------------------------------

static const char* const kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                    "saturday"};
static const char* const kMonths[] = {"january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"};
static const int kCumDays[2][13] = {{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
                                    {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};

// Days from 1970-01-01 to year-mon-mday (proleptic Gregorian), and back.
static long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
static void civil_from_days(long long z, long long* y, int* m, int* d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}
static long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Writes the date and time back normalized, as a JS Date would make them
// (day 0 is the last day of the month before, second 60 the next minute),
// with the weekday and the day of the year.
static void normalize_tm(struct tm* tm, long long year, long long mon, long long mday) {
  year += floor_div(mon, 12);
  mon -= floor_div(mon, 12) * 12;
  long long secs = (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
  long long days = days_from_civil(year, (int)mon + 1, 1) + (mday - 1) + floor_div(secs, 86400);
  secs -= floor_div(secs, 86400) * 86400;
  long long y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  tm->tm_hour = (int)(secs / 3600);
  tm->tm_min = (int)(secs / 60 % 60);
  tm->tm_sec = (int)(secs % 60);
  tm->tm_year = (int)(y - 1900);
  tm->tm_mon = m - 1;
  tm->tm_mday = d;
  tm->tm_wday = (int)(days - floor_div(days + 4, 7) * 7 + 4);  // 1970-01-01 was a Thursday
  tm->tm_yday = kCumDays[is_leap((int)y)][m - 1] + d - 1;
}

// Reads a number of at most `width` digits within [lo, hi].
static const char* read_num(const char* s, int width, int lo, int hi, int* out) {
  int v = 0, n = 0, neg = 0;
  if (*s == '-' || *s == '+') { neg = *s == '-'; s++; }
  while (n < width && isdigit((unsigned char)*s)) { v = v * 10 + (*s++ - '0'); n++; }
  if (!n) return NULL;
  if (neg) v = -v;
  if (v < lo || v > hi) return NULL;
  *out = v;
  return s;
}

// Matches a day or month name, full or its first three letters.
static const char* read_name(const char* s, const char* const* names, int count, int* out) {
  for (int i = 0; i < count; i++) {
    size_t full = strlen(names[i]);
    if (!strncasecmp(s, names[i], full)) { *out = i; return s + full; }
  }
  for (int i = 0; i < count; i++) {
    if (!strncasecmp(s, names[i], 3)) { *out = i; return s + 3; }
  }
  return NULL;
}

// POSIX strptime over the C locale. Like Emscripten's, it also fills in
// tm_wday and tm_yday from the date it read (and the date from a day of the
// year, or from a week number and weekday).
static int clamp(long long v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : (int)v; }

EXPORT char* strptime(const char* restrict s, const char* restrict f, struct tm* restrict out) {
  // Fields the input does not give keep their value, brought into range
  // first as Emscripten does (a year before 1970 becomes 1970); *out is
  // written only on success.
  struct tm t = *out;
  struct tm* tm = &t;
  t.tm_hour = clamp(t.tm_hour, 0, 23);
  t.tm_min = clamp(t.tm_min, 0, 59);
  t.tm_sec = clamp(t.tm_sec, 0, 59);
  int year = clamp((long long)t.tm_year + 1900, 1970, 9999), mon = clamp(t.tm_mon, 0, 11),
      mday = clamp(t.tm_mday, 1, 31);
  int yday = -1, wday = -1, week = -1, week_monday = 0, century = -1, yy = -1, pm = -1;
  int have_date = 0;
  for (; *f; f++) {
    if (isspace((unsigned char)*f)) {
      while (isspace((unsigned char)*s)) s++;
      continue;
    }
    if (*f != '%') {
      if (*s++ != *f) return NULL;
      continue;
    }
    f++;
    if (*f == 'E' || *f == 'O') f++;
    int v;
    switch (*f) {
      case 'a': case 'A': s = read_name(s, kDays, 7, &wday); break;
      case 'b': case 'B': case 'h': s = read_name(s, kMonths, 12, &mon); have_date = 1; break;
      case 'c': s = strptime(s, "%a %b %e %H:%M:%S %Y", tm); if (s) { year = tm->tm_year + 1900; mon = tm->tm_mon; mday = tm->tm_mday; have_date = 1; } break;
      case 'C': s = read_num(s, 2, 0, 99, &century); break;
      case 'd': case 'e': s = read_num(s, 2, 1, 31, &mday); have_date = 1; break;
      case 'D': s = strptime(s, "%m/%d/%y", tm); if (s) { year = tm->tm_year + 1900; mon = tm->tm_mon; mday = tm->tm_mday; have_date = 1; } break;
      case 'F': s = strptime(s, "%Y-%m-%d", tm); if (s) { year = tm->tm_year + 1900; mon = tm->tm_mon; mday = tm->tm_mday; have_date = 1; } break;
      case 'H': case 'k': s = read_num(s, 2, 0, 23, &tm->tm_hour); break;
      case 'I': case 'l': s = read_num(s, 2, 1, 12, &tm->tm_hour); if (s && tm->tm_hour == 12) tm->tm_hour = 0; break;
      case 'j': s = read_num(s, 3, 1, 366, &yday); if (s) yday--; break;
      case 'm': s = read_num(s, 2, 1, 12, &mon); if (s) mon--; have_date = 1; break;
      case 'M': s = read_num(s, 2, 0, 59, &tm->tm_min); break;
      case 'n': case 't': while (isspace((unsigned char)*s)) s++; break;
      case 'p':
        if (!strncasecmp(s, "AM", 2)) { pm = 0; s += 2; }
        else if (!strncasecmp(s, "PM", 2)) { pm = 1; s += 2; }
        else s = NULL;
        break;
      case 'r': s = strptime(s, "%I:%M:%S %p", tm); break;
      case 'R': s = strptime(s, "%H:%M", tm); break;
      case 'S': s = read_num(s, 2, 0, 61, &tm->tm_sec); break;
      case 'T': s = strptime(s, "%H:%M:%S", tm); break;
      case 'U': s = read_num(s, 2, 0, 53, &week); week_monday = 0; break;
      case 'W': s = read_num(s, 2, 0, 53, &week); week_monday = 1; break;
      case 'w': s = read_num(s, 1, 0, 6, &wday); break;
      case 'u': s = read_num(s, 1, 1, 7, &v); if (s) wday = v % 7; break;
      case 'x': s = strptime(s, "%m/%d/%y", tm); if (s) { year = tm->tm_year + 1900; mon = tm->tm_mon; mday = tm->tm_mday; have_date = 1; } break;
      case 'X': s = strptime(s, "%H:%M:%S", tm); break;
      case 'y': s = read_num(s, 2, 0, 99, &yy); break;
      case 'Y': s = read_num(s, 4, -9999, 9999, &year); break;
      case 'z': {
        int sign = *s == '-' ? -1 : 1;
        if (*s != '+' && *s != '-') { if (*s == 'Z') { s++; tm->tm_gmtoff = 0; break; } return NULL; }
        s++;
        int hh, mm = 0;
        s = read_num(s, 2, 0, 23, &hh);
        if (s && *s == ':') s++;
        if (s && isdigit((unsigned char)*s)) s = read_num(s, 2, 0, 59, &mm);
        if (s) tm->tm_gmtoff = sign * (hh * 3600 + mm * 60);
        break;
      }
      case 'Z': while (isalpha((unsigned char)*s)) s++; break;
      case '%': if (*s++ != '%') return NULL; break;
      default: return NULL;
    }
    if (!s) return NULL;
  }
  if (yy >= 0) year = century >= 0 ? century * 100 + yy : (yy < 69 ? 2000 + yy : 1900 + yy);
  else if (century >= 0) year = century * 100 + year % 100;
  if (pm == 1 && tm->tm_hour < 12) tm->tm_hour += 12;
  int leap = is_leap(year);
  if (yday >= 0 && !have_date) {
    int m = 0;
    while (m < 11 && yday >= kCumDays[leap][m + 1]) m++;
    mon = m;
    mday = yday - kCumDays[leap][m] + 1;
  } else if (week >= 0 && wday >= 0 && !have_date) {
    // Day 0 of week 1 is the year's first Sunday (%U) or Monday (%W).
    long long jan1 = days_from_civil(year, 1, 1);
    int jan1_wday = (int)(jan1 - floor_div(jan1 + 4, 7) * 7 + 4);
    int first = week_monday ? (8 - jan1_wday) % 7 : (7 - jan1_wday) % 7;
    int wd = week_monday ? (wday + 6) % 7 : wday;
    mon = 0;
    mday = first + (week - 1) * 7 + wd + 1;
  }
  normalize_tm(tm, year, mon, mday);
  tm->tm_isdst = 0;
  *out = t;
  return (char*)s;
}

// --- libuuid (Emscripten's uuid library) ------------------------------------

EXPORT void uuid_clear(uuid_t uu) { memset(uu, 0, 16); }
EXPORT int uuid_compare(const uuid_t a, const uuid_t b) {
  int c = memcmp(a, b, 16);
  return c < 0 ? -1 : c > 0;
}
EXPORT void uuid_copy(uuid_t dst, const uuid_t src) { memcpy(dst, src, 16); }
// A random (version 4) UUID.
EXPORT void uuid_generate(uuid_t out) {
  getentropy(out, 16);
  out[6] = (out[6] & 0x0f) | 0x40;
  out[8] = (out[8] & 0x3f) | 0x80;
}
EXPORT int uuid_is_null(const uuid_t uu) {
  for (int i = 0; i < 16; i++) if (uu[i]) return 0;
  return 1;
}
EXPORT int uuid_parse(const char* in, uuid_t uu) {
  if (strlen(in) != 36) return -1;
  uuid_t tmp;
  int j = 0;
  for (int i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (in[i++] != '-') return -1;
      continue;
    }
    if (!isxdigit((unsigned char)in[i]) || !isxdigit((unsigned char)in[i + 1])) return -1;
    char hex[3] = {in[i], in[i + 1], 0};
    tmp[j++] = (unsigned char)strtoul(hex, NULL, 16);
    i += 2;
  }
  memcpy(uu, tmp, 16);
  return 0;
}
static void unparse(const uuid_t uu, char* out, const char* digits) {
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = digits[uu[i] >> 4];
    *out++ = digits[uu[i] & 15];
  }
  *out = 0;
}
EXPORT void uuid_unparse_lower(const uuid_t uu, char* out) { unparse(uu, out, "0123456789abcdef"); }
EXPORT void uuid_unparse_upper(const uuid_t uu, char* out) { unparse(uu, out, "0123456789ABCDEF"); }
EXPORT void uuid_unparse(const uuid_t uu, char* out) { uuid_unparse_lower(uu, out); }
EXPORT int uuid_type(const uuid_t uu) { (void)uu; return UUID_TYPE_DCE_RANDOM; }
EXPORT int uuid_variant(const uuid_t uu) { (void)uu; return UUID_VARIANT_DCE; }

// --- the protocol database (Emscripten's: tcp and udp) ----------------------

static char* tcp_aliases[] = {"TCP", NULL};
static char* udp_aliases[] = {"UDP", NULL};
static struct protoent kProtocols[] = {{"tcp", tcp_aliases, 6}, {"udp", udp_aliases, 17}};
static int proto_next;
EXPORT void setprotoent(int stayopen) { (void)stayopen; proto_next = 0; }
EXPORT void endprotoent(void) {}
EXPORT struct protoent* getprotoent(void) {
  if (proto_next >= 2) return NULL;
  return &kProtocols[proto_next++];
}
EXPORT struct protoent* getprotobyname(const char* name) {
  for (int i = 0; i < 2; i++) {
    if (!strcmp(kProtocols[i].p_name, name)) return &kProtocols[i];
    if (!strcmp(kProtocols[i].p_aliases[0], name)) return &kProtocols[i];
  }
  return NULL;
}
EXPORT struct protoent* getprotobynumber(int proto) {
  for (int i = 0; i < 2; i++) if (kProtocols[i].p_proto == proto) return &kProtocols[i];
  return NULL;
}

// --- processes ----------------------------------------------------------------

// There is no shell (Emscripten's answer in a browser): system(NULL) says
// so, any command fails with ENOSYS.
EXPORT int system(const char* command) {
  if (!command) return 0;
  errno = ENOSYS;
  return -1;
}

// --- emscripten.h --------------------------------------------------------------

EXPORT int emscripten_has_asyncify(void) { return 0; }

EXPORT void emscripten_force_exit(int status) { exit(status); }

// The settings of the runtime a lazylink program runs on, as
// -sRETAIN_COMPILER_SETTINGS keeps them in an Emscripten build: the version
// of the toolchain libstd comes from, and how the loader runs a program
// (main is called, the runtime exits after it, memory grows). A side
// module's own build flags are recorded nowhere the loader could read, so a
// setting outside this table answers as Emscripten does for one it does not
// know: the string "invalid compiler setting: NAME". Numbers are returned as
// they are, strings as a pointer that stays valid (one copy per name).
struct compiler_setting {
  const char* name;
  int value;
  const char* text;  // non-null: a string setting
};
static const struct compiler_setting kCompilerSettings[] = {
    {"EMSCRIPTEN_VERSION", 0, "3.1.6"},
    {"INVOKE_RUN", 1, NULL},
    {"EXIT_RUNTIME", 1, NULL},
    {"ALLOW_MEMORY_GROWTH", 1, NULL},
    {"OPT_LEVEL", 2, NULL},
    {"DEBUG_LEVEL", 0, NULL},
    {"ASSERTIONS", 0, NULL},
    {"WASM", 1, NULL},
    {"WASM_BIGINT", 0, NULL},
    {"RELOCATABLE", 1, NULL},
    {"SIDE_MODULE", 1, NULL},
    {"USE_PTHREADS", 0, NULL},
};

static struct {
  char* name;
  char* text;
} setting_strings[16];

static const char* setting_string(const char* name, const char* prefix, const char* text) {
  for (size_t i = 0; i < sizeof setting_strings / sizeof setting_strings[0]; ++i) {
    if (setting_strings[i].name && strcmp(setting_strings[i].name, name) == 0) return setting_strings[i].text;
  }
  size_t n = strlen(prefix) + strlen(text) + 1;
  char* copy = malloc(n);
  if (!copy) return text;
  snprintf(copy, n, "%s%s", prefix, text);
  for (size_t i = 0; i < sizeof setting_strings / sizeof setting_strings[0]; ++i) {
    if (!setting_strings[i].name) {
      setting_strings[i].name = strdup(name);
      setting_strings[i].text = copy;
      break;
    }
  }
  return copy;
}

EXPORT int emscripten_get_compiler_setting(const char* name) {
  for (size_t i = 0; i < sizeof kCompilerSettings / sizeof kCompilerSettings[0]; ++i) {
    const struct compiler_setting* s = &kCompilerSettings[i];
    if (strcmp(s->name, name) != 0) continue;
    return s->text ? (int)(intptr_t)s->text : s->value;
  }
  return (int)(intptr_t)setting_string(name, "invalid compiler setting: ", name);
}

// emscripten_log: printf-formatted, to the console (EM_LOG_CONSOLE) or to
// stdout/stderr, with the call stack when asked.
EXPORT void emscripten_log(int flags, const char* format, ...) {
  char small[512];
  char* text = small;
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(small, sizeof small, format, ap);
  va_end(ap);
  if (n >= (int)sizeof small) {
    text = malloc(n + 1);
    if (!text) return;
    va_start(ap, format);
    vsnprintf(text, n + 1, format, ap);
    va_end(ap);
  }
  char* full = text;
  if (flags & (EM_LOG_C_STACK | EM_LOG_JS_STACK)) {
    int size = emscripten_get_callstack(flags, NULL, 0);
    full = malloc(strlen(text) + size + 2);
    if (full) {
      strcpy(full, text);
      strcat(full, "\n");
      emscripten_get_callstack(flags, full + strlen(full), size);
    } else {
      full = text;
    }
  }
  if (flags & EM_LOG_CONSOLE) {
    if (flags & EM_LOG_ERROR) emscripten_console_error(full);
    else if (flags & EM_LOG_WARN) emscripten_console_warn(full);
    else emscripten_console_log(full);
  } else if (flags & (EM_LOG_ERROR | EM_LOG_WARN)) {
    _emscripten_err(full);
  } else {
    _emscripten_out(full);
  }
  if (full != text) free(full);
  if (text != small) free(text);
}

// --- emscripten_math_* (JS Math, in C) ---------------------------------------

EXPORT double emscripten_math_cbrt(double x) { return cbrt(x); }
EXPORT double emscripten_math_pow(double x, double y) { return pow(x, y); }
EXPORT double emscripten_math_random(void) { return emscripten_random(); }
EXPORT double emscripten_math_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : x; }
EXPORT double emscripten_math_sqrt(double x) { return sqrt(x); }
EXPORT double emscripten_math_exp(double x) { return exp(x); }
EXPORT double emscripten_math_expm1(double x) { return expm1(x); }
EXPORT double emscripten_math_fmod(double x, double y) { return fmod(x, y); }
EXPORT double emscripten_math_log(double x) { return log(x); }
EXPORT double emscripten_math_log1p(double x) { return log1p(x); }
EXPORT double emscripten_math_log10(double x) { return log10(x); }
EXPORT double emscripten_math_log2(double x) { return log2(x); }
// JS Math.round: halves go up (-2.5 -> -2), and -0 stays -0.
EXPORT double emscripten_math_round(double x) {
  if (isnan(x) || isinf(x)) return x;
  double r = floor(x);
  if (x - r >= 0.5) r += 1;
  return (r == 0 && signbit(x)) ? -0.0 : r;
}
EXPORT double emscripten_math_acos(double x) { return acos(x); }
EXPORT double emscripten_math_acosh(double x) { return acosh(x); }
EXPORT double emscripten_math_asin(double x) { return asin(x); }
EXPORT double emscripten_math_asinh(double x) { return asinh(x); }
EXPORT double emscripten_math_atan(double x) { return atan(x); }
EXPORT double emscripten_math_atanh(double x) { return atanh(x); }
EXPORT double emscripten_math_atan2(double y, double x) { return atan2(y, x); }
EXPORT double emscripten_math_cos(double x) { return cos(x); }
EXPORT double emscripten_math_cosh(double x) { return cosh(x); }
EXPORT double emscripten_math_sin(double x) { return sin(x); }
EXPORT double emscripten_math_sinh(double x) { return sinh(x); }
EXPORT double emscripten_math_tan(double x) { return tan(x); }
EXPORT double emscripten_math_tanh(double x) { return tanh(x); }
// Math.hypot over `count` doubles.
EXPORT double emscripten_math_hypot(int count, ...) {
  va_list ap;
  va_start(ap, count);
  double sum = 0, scale = 0;
  int inf = 0, nan = 0;
  double values[64];
  int n = count < 64 ? count : 64;
  for (int i = 0; i < n; i++) {
    values[i] = va_arg(ap, double);
    if (isinf(values[i])) inf = 1;
    else if (isnan(values[i])) nan = 1;
    else if (fabs(values[i]) > scale) scale = fabs(values[i]);
  }
  va_end(ap);
  if (inf) return INFINITY;
  if (nan) return NAN;
  if (scale == 0) return 0;
  for (int i = 0; i < n; i++) sum += (values[i] / scale) * (values[i] / scale);
  return scale * sqrt(sum);
}

// --- emscripten_trace_* (programs built with --tracing) ---------------------
// Emscripten sends events to a trace collector that emscripten_trace_configure()
// loads as a worker from the collector's URL; lazylink has no collector, so
// there they go nowhere, as in Emscripten before a collector is configured.
// emscripten_trace_configure_for_test() works as Emscripten's: every event is
// printed to stdout as "Tracing " + its fields joined by commas, with the
// time 0.
static int trace_post, trace_testing;

static void trace_print(const char* fields) {
  if (!(trace_post && trace_testing)) return;
  char line[1100];
  snprintf(line, sizeof line, "Tracing %s", fields);
  _emscripten_out(line);
}
#define TRACE(...)                                   \
  do {                                               \
    if (trace_post && trace_testing) {               \
      char fields_[1024];                            \
      snprintf(fields_, sizeof fields_, __VA_ARGS__); \
      trace_print(fields_);                          \
    }                                                \
  } while (0)

EXPORT void emscripten_trace_configure(const char* url, const char* app) { (void)url; (void)app; }
EXPORT void emscripten_trace_configure_for_google_wtf(void) { _emscripten_out("GOOGLE WTF NOT AVAILABLE TO ENABLE"); }
EXPORT void emscripten_trace_configure_for_test(void) { trace_post = trace_testing = 1; }
EXPORT void emscripten_trace_set_enabled(int enabled) { trace_post = !!enabled; }
EXPORT void emscripten_trace_set_session_username(const char* name) { (void)name; TRACE("user-name"); }
EXPORT void emscripten_trace_record_frame_start(void) { TRACE("frame-start,0"); }
EXPORT void emscripten_trace_record_frame_end(void) { TRACE("frame-end,0"); }
EXPORT void emscripten_trace_log_message(const char* channel, const char* message) { TRACE("log-message,0,%s,%s", channel, message); }
EXPORT void emscripten_trace_mark(const char* message) { TRACE("log-message,0,MARK,%s", message); }
EXPORT void emscripten_trace_report_error(const char* error) {
  if (!(trace_post && trace_testing)) return;
  char stack[512] = "";
  emscripten_get_callstack(EM_LOG_JS_STACK, stack, sizeof stack);
  TRACE("report-error,0,%s,%s", error, stack);
}
EXPORT void emscripten_trace_record_allocation(const void* address, int32_t size) { TRACE("allocate,0,%lu,%d", (unsigned long)(uintptr_t)address, (int)size); }
EXPORT void emscripten_trace_record_reallocation(const void* old, const void* address, int32_t size) {
  TRACE("reallocate,0,%lu,%lu,%d", (unsigned long)(uintptr_t)old, (unsigned long)(uintptr_t)address, (int)size);
}
EXPORT void emscripten_trace_record_free(const void* address) { TRACE("free,0,%lu", (unsigned long)(uintptr_t)address); }
EXPORT void emscripten_trace_annotate_address_type(const void* address, const char* type) { TRACE("annotate-type,%lu,%s", (unsigned long)(uintptr_t)address, type); }
EXPORT void emscripten_trace_associate_storage_size(const void* address, int32_t size) { TRACE("associate-storage-size,%lu,%d", (unsigned long)(uintptr_t)address, (int)size); }
// (Emscripten posts an object here, which prints as [object Object].)
EXPORT void emscripten_trace_report_memory_layout(void) { TRACE("memory-layout,0,[object Object]"); }
EXPORT void emscripten_trace_report_off_heap_data(void) { TRACE("off-heap,0,[object Object]"); }
EXPORT void emscripten_trace_enter_context(const char* name) { TRACE("enter-context,0,%s", name); }
EXPORT void emscripten_trace_exit_context(void) { TRACE("exit-context,0"); }
EXPORT void emscripten_trace_task_start(int task_id, const char* name) { TRACE("task-start,0,%d,%s", task_id, name); }
EXPORT void emscripten_trace_task_associate_data(const char* key, const char* value) { TRACE("task-associate-data,%s,%s", key, value); }
EXPORT void emscripten_trace_task_suspend(const char* explanation) { TRACE("task-suspend,0,%s", explanation); }
EXPORT void emscripten_trace_task_resume(int task_id, const char* explanation) { TRACE("task-resume,0,%d,%s", task_id, explanation); }
EXPORT void emscripten_trace_task_end(void) { TRACE("task-end,0"); }
EXPORT void emscripten_trace_close(void) { trace_post = trace_testing = 0; }

// --- host names (Emscripten's emulation: no resolver) ----------------------
// As in Emscripten, a name that is not a numeric address gets a made-up
// IPv4 address 172.29.X.Y, the same one every time, so that code which
// looks a name up and then connects (through a proxy) can go on;
// gethostbyaddr maps it back.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define MAX_NAMES 256
static char* dns_names[MAX_NAMES];
static uint32_t dns_addrs[MAX_NAMES];  // network order
static int dns_count;
static int dns_next_id = 1;

static uint32_t lookup_name(const char* name) {
  struct in_addr a;
  if (inet_pton(AF_INET, name, &a) == 1) return a.s_addr;
  for (int i = 0; i < dns_count; i++) if (!strcmp(dns_names[i], name)) return dns_addrs[i];
  int id = dns_next_id++;
  char text[32];
  snprintf(text, sizeof text, "172.29.%d.%d", id & 0xff, id & 0xff00);
  inet_pton(AF_INET, text, &a);
  if (dns_count < MAX_NAMES) {
    dns_names[dns_count] = strdup(name);
    dns_addrs[dns_count++] = a.s_addr;
  }
  return a.s_addr;
}

static const char* lookup_addr(uint32_t addr) {
  for (int i = 0; i < dns_count; i++) if (dns_addrs[i] == addr) return dns_names[i];
  return NULL;
}

// One hostent with its strings, allocated in one block.
struct host_block {
  struct hostent h;
  char* aliases[1];
  char* addrs[2];
  uint32_t addr;
  char name[];
};

static struct hostent* host_entry(const char* name) {
  size_t len = strlen(name);
  struct host_block* b = malloc(sizeof *b + len + 1);
  if (!b) return NULL;
  memcpy(b->name, name, len + 1);
  b->aliases[0] = NULL;
  b->addr = lookup_name(name);
  b->addrs[0] = (char*)&b->addr;
  b->addrs[1] = NULL;
  b->h.h_name = b->name;
  b->h.h_aliases = b->aliases;
  b->h.h_addrtype = AF_INET;
  b->h.h_length = 4;
  b->h.h_addr_list = b->addrs;
  return &b->h;
}

EXPORT struct hostent* gethostbyname(const char* name) { return host_entry(name); }

EXPORT struct hostent* gethostbyaddr(const void* addr, socklen_t len, int type) {
  (void)len;
  if (type != AF_INET) {
    errno = EAFNOSUPPORT;
    return NULL;
  }
  uint32_t a;
  memcpy(&a, addr, 4);
  const char* name = lookup_addr(a);
  char text[INET_ADDRSTRLEN];
  if (!name) name = inet_ntop(AF_INET, &a, text, sizeof text);
  return host_entry(name);
}

EXPORT int gethostbyname_r(const char* name, struct hostent* ret, char* buf, size_t buflen,
                           struct hostent** out, int* err) {
  (void)buf;
  (void)buflen;
  struct hostent* h = gethostbyname(name);
  if (!h) {
    *out = NULL;
    if (err) *err = NO_RECOVERY;
    return ENOMEM;
  }
  *ret = *h;  // the strings stay in the block, as Emscripten's stay on the heap
  *out = ret;
  if (err) *err = 0;
  return 0;
}

static struct addrinfo* make_ai(int family, int socktype, int protocol, const void* addr, int port,
                                const char* canon) {
  struct addrinfo* ai = calloc(1, sizeof *ai);
  if (!ai) return NULL;
  if (family == AF_INET6) {
    struct sockaddr_in6* sa = calloc(1, sizeof *sa);
    if (!sa) { free(ai); return NULL; }
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    memcpy(&sa->sin6_addr, addr, 16);
    ai->ai_addr = (struct sockaddr*)sa;
    ai->ai_addrlen = sizeof *sa;
  } else {
    struct sockaddr_in* sa = calloc(1, sizeof *sa);
    if (!sa) { free(ai); return NULL; }
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    memcpy(&sa->sin_addr, addr, 4);
    ai->ai_addr = (struct sockaddr*)sa;
    ai->ai_addrlen = sizeof *sa;
  }
  ai->ai_family = family;
  ai->ai_socktype = socktype;
  ai->ai_protocol = protocol;
  ai->ai_canonname = (char*)canon;
  return ai;
}

// getaddrinfo with Emscripten's rules: one result (freeaddrinfo frees one
// struct and its address), numeric hosts as they are, other names through
// the made-up addresses above, the loopback or any address for a NULL node.
EXPORT int getaddrinfo(const char* restrict node, const char* restrict service,
                       const struct addrinfo* restrict hint, struct addrinfo** restrict res) {
  int flags = 0, family = AF_UNSPEC, socktype = 0, protocol = 0;
  if (hint) {
    flags = hint->ai_flags;
    family = hint->ai_family;
    socktype = hint->ai_socktype;
    protocol = hint->ai_protocol;
  }
  if (socktype && !protocol) protocol = socktype == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
  if (!socktype && protocol) socktype = protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
  if (!socktype) socktype = SOCK_STREAM;
  if (!protocol) protocol = socktype == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
  if (!node && !service) return EAI_NONAME;
  if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_V4MAPPED | AI_ALL |
                AI_ADDRCONFIG)) {
    return EAI_BADFLAGS;
  }
  if (hint && (flags & AI_CANONNAME) && !node) return EAI_BADFLAGS;
  if (flags & AI_ADDRCONFIG) family = family == AF_UNSPEC ? AF_INET : family;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;
  int port = 0;
  if (service) {
    char* end;
    long p = strtol(service, &end, 10);
    if (*service == 0 || *end) return (flags & AI_NUMERICSERV) ? EAI_NONAME : EAI_SERVICE;
    port = (int)p;
  }
  unsigned char a6[16] = {0};
  uint32_t a4 = 0;
  if (!node) {
    if (family == AF_UNSPEC) family = AF_INET;
    if (!(flags & AI_PASSIVE)) {
      if (family == AF_INET) a4 = htonl(INADDR_LOOPBACK);
      else a6[15] = 1;
    }
    *res = make_ai(family, socktype, protocol, family == AF_INET6 ? (void*)a6 : (void*)&a4, port, NULL);
    return *res ? 0 : EAI_MEMORY;
  }
  if (inet_pton(AF_INET, node, &a4) == 1) {
    if (family == AF_UNSPEC || family == AF_INET) {
      *res = make_ai(AF_INET, socktype, protocol, &a4, port, NULL);
    } else if (flags & AI_V4MAPPED) {
      a6[10] = a6[11] = 0xff;
      memcpy(a6 + 12, &a4, 4);
      *res = make_ai(AF_INET6, socktype, protocol, a6, port, NULL);
    } else {
      return EAI_NONAME;
    }
    return *res ? 0 : EAI_MEMORY;
  }
  if (inet_pton(AF_INET6, node, a6) == 1) {
    if (family != AF_UNSPEC && family != AF_INET6) return EAI_NONAME;
    *res = make_ai(AF_INET6, socktype, protocol, a6, port, NULL);
    return *res ? 0 : EAI_MEMORY;
  }
  if (flags & AI_NUMERICHOST) return EAI_NONAME;
  a4 = lookup_name(node);
  if (family == AF_INET6) {
    a6[10] = a6[11] = 0xff;
    memcpy(a6 + 12, &a4, 4);
    *res = make_ai(AF_INET6, socktype, protocol, a6, port, node);
  } else {
    *res = make_ai(AF_INET, socktype, protocol, &a4, port, node);
  }
  return *res ? 0 : EAI_MEMORY;
}
