// Time for Emscripten 3.1.6's libc: clocks, time(), the time zone, struct tm
// conversions and strftime. In Emscripten 3.1.6 time_t is 32-bit (`long`):
// struct timespec and struct timeval are two i32s.
const ENV = 'env';

// struct tm (wasm32): 9 ints, then long tm_gmtoff, then const char* tm_zone.
const TM = { sec: 0, min: 4, hour: 8, mday: 12, mon: 16, year: 20, wday: 24, yday: 28, isdst: 32,
  gmtoff: 36, zone: 40 };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

function dayOfYear(date) {
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.floor((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - start) / 86400000);
}

export function timeFunctions(ctx) {
  const setTime = (seconds) => seconds | 0;
  const readTm = (p) => ({
    sec: ctx.i32(p + TM.sec), min: ctx.i32(p + TM.min), hour: ctx.i32(p + TM.hour),
    mday: ctx.i32(p + TM.mday), mon: ctx.i32(p + TM.mon), year: ctx.i32(p + TM.year),
    wday: ctx.i32(p + TM.wday), yday: ctx.i32(p + TM.yday), isdst: ctx.i32(p + TM.isdst),
    gmtoff: ctx.i32(p + TM.gmtoff), zone: ctx.u32(p + TM.zone),
  });
  let zoneStrings = null;  // [utc, local] names, malloc'ed once
  const zoneName = (date) => {
    const m = date.toTimeString().match(/\(([^)]+)\)/);
    const long = m ? m[1] : 'UTC';
    const abbr = long.match(/[A-Z]/g);
    return abbr && abbr.length <= 5 ? abbr.join('') : long;
  };
  const zones = () => {
    if (!zoneStrings) {
      const jan = new Date(new Date().getFullYear(), 0, 1);
      zoneStrings = [ctx.mallocCString('GMT'), ctx.mallocCString(zoneName(jan))];
    }
    return zoneStrings;
  };
  const writeTm = (p, date, utc) => {
    const g = (local, u) => (utc ? u.call(date) : local.call(date));
    ctx.setI32(p + TM.sec, g(date.getSeconds, date.getUTCSeconds));
    ctx.setI32(p + TM.min, g(date.getMinutes, date.getUTCMinutes));
    ctx.setI32(p + TM.hour, g(date.getHours, date.getUTCHours));
    ctx.setI32(p + TM.mday, g(date.getDate, date.getUTCDate));
    ctx.setI32(p + TM.mon, g(date.getMonth, date.getUTCMonth));
    ctx.setI32(p + TM.year, g(date.getFullYear, date.getUTCFullYear) - 1900);
    ctx.setI32(p + TM.wday, g(date.getDay, date.getUTCDay));
    const local = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
    ctx.setI32(p + TM.yday, utc ? dayOfYear(date) : dayOfYear(local));
    const offset = utc ? 0 : -date.getTimezoneOffset() * 60;
    ctx.setI32(p + TM.gmtoff, offset);
    const jan = new Date(date.getFullYear(), 0, 1).getTimezoneOffset();
    const jul = new Date(date.getFullYear(), 6, 1).getTimezoneOffset();
    ctx.setI32(p + TM.isdst, utc ? 0 : Number(jan !== jul && date.getTimezoneOffset() === Math.min(jan, jul)));
    if (ctx.libstd) ctx.setU32(p + TM.zone, zones()[utc ? 0 : 1]);
  };
  const fromTm = (tm, utc) => {
    const args = [tm.year + 1900, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, 0];
    return utc ? new Date(Date.UTC(...args)) : new Date(...args);
  };
  const clock = (id, tp) => {
    let ms;
    if (id === 0) ms = Date.now();  // CLOCK_REALTIME
    else if (id === 1 || id === 4 || id === 2 || id === 3) ms = performance.now();  // monotonic, cputime
    else {
      // libc returns this as is: -1 with errno EINVAL, as Emscripten's does.
      const where = ctx.libstd && ctx.libstd.__errno_location;
      if (where) ctx.setI32(where() >>> 0, 28);  // EINVAL
      return -1;
    }
    const s = Math.floor(ms / 1000);
    ctx.setI32(tp, s);
    ctx.setI32(tp + 4, Math.min(999999999, Math.round((ms - s * 1000) * 1e6)));
    return 0;
  };

  const pad = (n, w, c = '0') => String(n).padStart(w, c);
  const strftime = (s, maxsize, format, tmPtr) => {
    const tm = readTm(tmPtr);
    const year = tm.year + 1900;
    const date = new Date(Date.UTC(year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec));
    // ISO 8601 week and week-based year, from tm_year, tm_yday and tm_wday
    // (as C's strftime reads them; tm_mon and tm_mday play no part).
    const isoWeek = () => {
      const p = (y) => (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7;
      const weeksIn = (y) => 52 + (p(y) === 4 || p(y - 1) === 3 ? 1 : 0);
      const monday0 = (tm.wday + 6) % 7;
      let week = Math.floor((tm.yday - monday0 + 10) / 7);
      let y = year;
      if (week < 1) {
        y -= 1;
        week = weeksIn(y);
      } else if (week > weeksIn(y)) {
        y += 1;
        week = 1;
      }
      return { week, year: y };
    };
    const hour12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
    const zone = tm.zone ? ctx.cstring(tm.zone) : '';
    const off = tm.gmtoff;
    const rules = {
      a: () => DAYS[tm.wday].slice(0, 3), A: () => DAYS[tm.wday],
      b: () => MONTHS[tm.mon].slice(0, 3), h: () => MONTHS[tm.mon].slice(0, 3), B: () => MONTHS[tm.mon],
      c: () => expand('%a %b %e %H:%M:%S %Y'), C: () => pad(Math.floor(year / 100), 2),
      d: () => pad(tm.mday, 2), D: () => expand('%m/%d/%y'), e: () => pad(tm.mday, 2, ' '),
      F: () => expand('%Y-%m-%d'), g: () => pad(isoWeek().year % 100, 2), G: () => String(isoWeek().year),
      H: () => pad(tm.hour, 2), I: () => pad(hour12, 2), j: () => pad(tm.yday + 1, 3),
      m: () => pad(tm.mon + 1, 2), M: () => pad(tm.min, 2), n: () => '\n',
      p: () => (tm.hour < 12 ? 'AM' : 'PM'), r: () => expand('%I:%M:%S %p'), R: () => expand('%H:%M'),
      S: () => pad(tm.sec, 2), t: () => '\t', T: () => expand('%H:%M:%S'),
      u: () => String(tm.wday || 7), U: () => pad(Math.floor((tm.yday + 7 - tm.wday) / 7), 2),
      V: () => pad(isoWeek().week, 2), w: () => String(tm.wday),
      W: () => pad(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2),
      x: () => expand('%m/%d/%y'), X: () => expand('%H:%M:%S'),
      y: () => pad(year % 100, 2), Y: () => String(year),
      z: () => `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 3600), 2)}${pad(Math.floor(Math.abs(off) % 3600 / 60), 2)}`,
      Z: () => zone, '%': () => '%',
    };
    void date;
    function expand(fmt) {
      return fmt.replace(/%[EO]?([a-zA-Z%])/g, (all, c) => (rules[c] ? rules[c]() : all));
    }
    const bytes = new TextEncoder().encode(expand(ctx.cstring(format)));
    if (bytes.length >= maxsize) return 0;
    ctx.u8.set(bytes, s);
    ctx.u8[s + bytes.length] = 0;
    return bytes.length;
  };

  return [
    [ENV, 'clock_gettime', 'iii', clock],
    [ENV, '__clock_gettime', 'iii', clock],
    // struct timeval: time_t tv_sec, suseconds_t tv_usec (both i32).
    [ENV, 'gettimeofday', 'iii', (tv) => {
      const ms = Date.now();
      const s = Math.floor(ms / 1000);
      ctx.setI32(tv, s);
      ctx.setI32(tv + 4, (ms - s * 1000) * 1000);
      return 0;
    }],
    [ENV, 'time', 'ii', (p) => {
      const now = Math.floor(Date.now() / 1000);
      if (p) ctx.setI32(p, now);
      return setTime(now);
    }],
    [ENV, '_tzset_js', 'viii', (timezone, daylight, tzname) => {
      const year = new Date().getFullYear();
      const jan = new Date(year, 0, 1);
      const jul = new Date(year, 6, 1);
      const std = Math.max(jan.getTimezoneOffset(), jul.getTimezoneOffset());
      ctx.setI32(timezone, std * 60);
      ctx.setI32(daylight, Number(jan.getTimezoneOffset() !== jul.getTimezoneOffset()));
      const janName = ctx.mallocCString(zoneName(jan));
      const julName = ctx.mallocCString(zoneName(jul));
      const summerFirst = jul.getTimezoneOffset() < jan.getTimezoneOffset();
      ctx.setU32(tzname, summerFirst ? janName : julName);
      ctx.setU32(tzname + 4, summerFirst ? julName : janName);
    }],
    [ENV, '_localtime_js', 'vii', (t, tm) => writeTm(tm, new Date(ctx.i32(t) * 1000), false)],
    [ENV, '_gmtime_js', 'vii', (t, tm) => writeTm(tm, new Date(ctx.i32(t) * 1000), true)],
    [ENV, '_mktime_js', 'ii', (tmPtr) => {
      const date = fromTm(readTm(tmPtr), false);
      writeTm(tmPtr, date, false);
      return setTime(Math.floor(date.getTime() / 1000));
    }],
    [ENV, '_timegm_js', 'ii', (tmPtr) => {
      const date = fromTm(readTm(tmPtr), true);
      writeTm(tmPtr, date, true);
      return setTime(Math.floor(date.getTime() / 1000));
    }],
    [ENV, 'strftime', 'iiiii', strftime],
    [ENV, 'strftime_l', 'iiiiii', (s, maxsize, format, tm) => strftime(s, maxsize, format, tm)],
  ];
}
