// The SQL notebook's shell: the page sends SQL text, the shell runs it with
// SQLite and answers JSON. SQLite is a separate module, loaded lazily: the
// first query's first call into it (sqlite3_open) goes through a PLT
// resolver that fetches and links libsqlite.wasm.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

sqlite3* g_db = nullptr;

void AppendJsonString(std::string& out, const char* s, size_t n) {
  out += '"';
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendJsonString(std::string& out, const std::string& s) { AppendJsonString(out, s.data(), s.size()); }

void AppendValue(std::string& out, sqlite3_stmt* stmt, int col) {
  switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
      out += std::to_string(sqlite3_column_int64(stmt, col));
      break;
    case SQLITE_FLOAT: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(stmt, col));
      out += buf;
      break;
    }
    case SQLITE_NULL:
      out += "null";
      break;
    case SQLITE_BLOB:
      out += "\"<" + std::to_string(sqlite3_column_bytes(stmt, col)) + " bytes>\"";
      break;
    default: {
      const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      AppendJsonString(out, text, static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
    }
  }
}

std::string Error(const std::string& message) {
  std::string out = "{\"ok\":false,\"error\":";
  AppendJsonString(out, message);
  out += "}";
  return out;
}

// Runs every statement of `sql`; each SELECT-like statement contributes
// its columns and rows (at most `kMaxRows` shown).
std::string Run(const char* sql) {
  constexpr int kMaxRows = 1000;
  if (!g_db && sqlite3_open(":memory:", &g_db) != SQLITE_OK) {
    return Error(std::string("cannot open the database: ") + sqlite3_errmsg(g_db));
  }
  const auto start = std::chrono::steady_clock::now();
  std::string out = "{\"ok\":true,\"statements\":[";
  const char* tail = sql;
  bool first = true;
  while (tail && *tail) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(g_db, tail, -1, &stmt, &tail) != SQLITE_OK) return Error(sqlite3_errmsg(g_db));
    if (!stmt) continue;  // whitespace or a comment
    if (!first) out += ',';
    first = false;
    const int cols = sqlite3_column_count(stmt);
    out += "{\"sql\":";
    AppendJsonString(out, sqlite3_sql(stmt));
    out += ",\"columns\":[";
    for (int c = 0; c < cols; ++c) {
      if (c) out += ',';
      AppendJsonString(out, sqlite3_column_name(stmt, c));
    }
    out += "],\"rows\":[";
    int rows = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (rows < kMaxRows) {
        if (rows) out += ',';
        out += '[';
        for (int c = 0; c < cols; ++c) {
          if (c) out += ',';
          AppendValue(out, stmt, c);
        }
        out += ']';
      }
      ++rows;
    }
    if (rc != SQLITE_DONE) {
      std::string message = sqlite3_errmsg(g_db);
      sqlite3_finalize(stmt);
      return Error(message);
    }
    sqlite3_finalize(stmt);
    out += "],\"rowCount\":" + std::to_string(rows);
    out += ",\"changes\":" + std::to_string(cols ? 0 : sqlite3_changes(g_db)) + "}";
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "],\"ms\":%.3f}", ms);
  out += buf;
  return out;
}

char* Copy(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

}  // namespace

extern "C" {

// Runs SQL; returns malloc'ed JSON the caller frees with notebook_free.
char* notebook_run(const char* sql) { return Copy(Run(sql)); }

void notebook_free(char* p) { std::free(p); }

const char* notebook_sqlite_version() { return sqlite3_libversion(); }

}  // extern "C"

int main() {
  std::puts("notebook ready: SQLite loads with the first query");
  return 0;
}
