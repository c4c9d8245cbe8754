// libc_runtime: the functions of Emscripten's JS library that libstd and the
// host provide (runtime/derive/ lists them), called as a program would, with
// Emscripten 3.1.6's answers. uname, clock_gettime(-1) and strftime("%G")
// were wrong once.
#include <emscripten.h>
#include <emscripten/em_math.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timeb.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

int main(void) {
  // uname: Emscripten's libstubs answer, field by field.
  struct utsname u;
  memset(&u, 'x', sizeof u);
  printf("uname %d [%s] [%s] [%s] [%s] [%s]\n", uname(&u), u.sysname, u.nodename, u.release,
         u.version, u.machine);

  // clock_gettime on an unknown clock: -1 and EINVAL.
  struct timespec ts;
  errno = 0;
  int r = clock_gettime(-1, &ts);
  printf("clock_gettime(-1) %d errno==EINVAL %d\n", r, errno == EINVAL);
  printf("clock_gettime(REALTIME) %d sane %d\n", clock_gettime(CLOCK_REALTIME, &ts), ts.tv_sec > 1600000000);
  struct timespec res;
  printf("clock_getres(REALTIME) %d %ld\n", clock_getres(CLOCK_REALTIME, &res), res.tv_nsec);
  errno = 0;
  printf("clock_getres(-1) %d errno==EINVAL %d\n", clock_getres(-1, &res), errno == EINVAL);
  printf("timespec_get %d\n", timespec_get(&ts, TIME_UTC));
  struct timeb tb;
  printf("ftime %d timezone %d sane %d\n", ftime(&tb), tb.timezone, tb.time > 1600000000 && tb.millitm < 1000);
  clock_t c0 = clock();
  volatile double x = 0;
  for (int i = 0; i < 2000000; i++) x = x + i;
  (void)x;
  printf("clock advances %d\n", clock() >= c0);
  printf("difftime %.1f\n", difftime(10, 3));
  double load[3] = {0};
  printf("getloadavg %d %.1f %.1f %.1f\n", getloadavg(load, 3), load[0], load[1], load[2]);

  // strftime: ISO 8601 week-based year of 30 Dec 1997 (a Tuesday) is 1998.
  // As in C, %G %g %V read tm_year, tm_yday and tm_wday only (tm_mon and
  // tm_mday are left at 1 January here on purpose).
  struct tm tm = {0};
  tm.tm_year = 97;
  tm.tm_mon = 0;
  tm.tm_mday = 1;
  tm.tm_wday = 2;
  tm.tm_yday = 363;
  char buf[128];
  strftime(buf, sizeof buf, "%G %g %V %Y %a %j", &tm);
  printf("strftime %s\n", buf);
  tm.tm_year = 105; tm.tm_mon = 0; tm.tm_mday = 1; tm.tm_wday = 6; tm.tm_yday = 0;  // Sat 1 Jan 2005
  strftime(buf, sizeof buf, "%G %g %V", &tm);
  printf("strftime %s\n", buf);

  // strptime fills in the weekday and the day of the year.
  memset(&tm, 0, sizeof tm);
  const char* end = strptime("2021-03-14 15:09:26 rest", "%Y-%m-%d %H:%M:%S", &tm);
  printf("strptime %d-%02d-%02d %02d:%02d:%02d wday %d yday %d rest [%s]\n", tm.tm_year + 1900,
         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday, end);
  memset(&tm, 0, sizeof tm);
  end = strptime("Tue, 30 Dec 1997 11:59:59 PM", "%a, %d %b %Y %I:%M:%S %p", &tm);
  printf("strptime %d %d %d %d wday %d yday %d end %d\n", tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour,
         tm.tm_wday, tm.tm_yday, end && !*end);
  printf("strptime mismatch %s\n", strptime("12:xx", "%H:%M", &tm) ? "parsed" : "NULL");
  memset(&tm, 0, sizeof tm);
  strptime("2001 20 Mon", "%Y %U %a", &tm);
  printf("strptime %%U %d/%d/%d wday %d yday %d\n", tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, tm.tm_wday, tm.tm_yday);
  memset(&tm, 0xaa, sizeof tm);  // an uninitialized struct tm: no crash
  if (strptime("2007", "%Y", &tm) && strptime("12", "%d", &tm) && strptime("Feb", "%b", &tm) &&
      strptime("13", "%M", &tm) && strptime("21", "%S", &tm) && strptime("16", "%H", &tm)) {
    printf("strptime piecewise %d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday);
  }

  // Processes: no shell, no fork.
  errno = 0;
  printf("system(NULL) %d\n", system(NULL));
  errno = 0;
  r = system("ls");
  printf("system(ls) %d errno==ENOSYS %d\n", r, errno == ENOSYS);
  errno = 0;
  FILE* p = popen("ls", "r");
  printf("popen %s errno==ENOSYS %d\n", p ? "opened" : "NULL", errno == ENOSYS);
  errno = 0;
  printf("fork %d errno set %d\n", (int)fork(), errno != 0);

  // libuuid
  uuid_t a, b;
  uuid_generate(a);
  char text[37];
  uuid_unparse(a, text);
  printf("uuid version %c variant %d len %zu\n", text[14], uuid_variant(a), strlen(text));
  printf("uuid parse %d compare %d\n", uuid_parse(text, b), uuid_compare(a, b));
  uuid_parse("0123456789ABCDEF0123456789abcdef", b);
  printf("uuid bad %d\n", uuid_parse("not-a-uuid", b));
  uuid_clear(b);
  printf("uuid null %d\n", uuid_is_null(b));

  // Networking names (no resolver: numeric answers, made-up addresses).
  struct protoent* pe = getprotobyname("tcp");
  printf("proto tcp %d udp %d\n", pe ? pe->p_proto : -1, getprotobynumber(17) ? 17 : -1);
  struct hostent* he = gethostbyname("10.1.2.3");
  char addr[INET_ADDRSTRLEN];
  printf("gethostbyname %s\n", he ? inet_ntop(AF_INET, he->h_addr_list[0], addr, sizeof addr) : "NULL");
  he = gethostbyname("example.com");
  printf("gethostbyname example.com %s\n", he ? inet_ntop(AF_INET, he->h_addr_list[0], addr, sizeof addr) : "NULL");
  struct addrinfo* ai = NULL;
  struct addrinfo hints = {0};
  hints.ai_family = AF_INET;
  r = getaddrinfo("127.0.0.1", "8080", &hints, &ai);
  struct sockaddr_in* sin = ai ? (struct sockaddr_in*)ai->ai_addr : NULL;
  printf("getaddrinfo %d port %d\n", r, sin ? ntohs(sin->sin_port) : -1);
  if (ai) freeaddrinfo(ai);
  printf("getaddrinfo bad service %d\n", getaddrinfo("127.0.0.1", "http", &hints, &ai) == EAI_SERVICE);

  // emscripten.h and em_math.h
  float f = emscripten_random();
  printf("emscripten_random in [0,1) %d\n", f >= 0 && f < 1);
  printf("math %.4f %.1f %.1f %.1f %.1f %.1f\n", emscripten_math_cbrt(27), emscripten_math_round(-2.5),
         emscripten_math_round(2.5), emscripten_math_sign(-3), emscripten_math_hypot(2, 3.0, 4.0),
         emscripten_math_pow(2, 10));
  printf("run_script_int %d\n", emscripten_run_script_int("6 * 7"));
  printf("run_script_string %s\n", emscripten_run_script_string("'a' + 'b' + 1"));
  emscripten_run_script("var p = _malloc(16); Module.stringToUTF8('from a script', p, 16);"
                        "out(UTF8ToString(p) + ' ' + getValue(p, 'i8')); _free(p);");
  char num[32];
  emscripten_print_double(0.1 + 0.2, num, sizeof num);
  printf("print_double %s\n", num);
  printf("has_asyncify %d\n", emscripten_has_asyncify());
  emscripten_log(0, "emscripten_log %d", 5);
  int n = emscripten_get_callstack(EM_LOG_JS_STACK, NULL, 0);
  printf("callstack %d\n", n > 1);
  return 0;
}
