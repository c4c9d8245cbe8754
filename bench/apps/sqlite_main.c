// The SQLite application of the link-overhead and start-up benchmarks: a main
// that really uses SQLite (an in-memory database, a table, rows inserted in a
// transaction with a prepared statement, an aggregate query), printing one
// line as soon as main runs and one when the first query completed.
//
// Built twice from this one file (bench/apps/CMakeLists.txt):
//   sqlite_main.wasm   a side module with libsqlite.wasm in its NEEDED list
//                      (split: libstd + main eager, SQLite lazy once packed)
//   sqlite_mono.js     main + sqlite3.c as ONE static Emscripten program
//
//   argv[1]: rows to insert (default 1000)
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

static int fail(sqlite3* db, const char* what) {
  printf("error: %s: %s\n", what, db ? sqlite3_errmsg(db) : "(no database)");
  fflush(stdout);
  return 1;
}

int main(int argc, char** argv) {
  int rows = argc > 1 ? atoi(argv[1]) : 1000;
  // The start-up benchmark takes this line as "main runs".
  printf("main: started\n");
  fflush(stdout);

  sqlite3* db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return fail(db, "open");
  if (sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL)",
                   NULL, NULL, NULL) != SQLITE_OK) {
    return fail(db, "create");
  }
  sqlite3_stmt* insert = NULL;
  if (sqlite3_prepare_v2(db, "INSERT INTO t(name, score) VALUES (?1, ?2)", -1, &insert, NULL) !=
      SQLITE_OK) {
    return fail(db, "prepare insert");
  }
  sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  unsigned seed = 12345;
  char name[32];
  for (int i = 0; i < rows; ++i) {
    seed = seed * 1103515245u + 12345u;
    snprintf(name, sizeof name, "item-%05u", (seed >> 8) % 100000u);
    sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(insert, 2, (double)((seed >> 4) % 10000u) / 10000.0);
    if (sqlite3_step(insert) != SQLITE_DONE) return fail(db, "insert");
    sqlite3_reset(insert);
  }
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sqlite3_finalize(insert);

  sqlite3_stmt* query = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(*), round(sum(score), 3), max(name) FROM t WHERE score > 0.5",
                         -1, &query, NULL) != SQLITE_OK) {
    return fail(db, "prepare query");
  }
  if (sqlite3_step(query) != SQLITE_ROW) return fail(db, "query");
  // The start-up benchmark takes this line as "the first query completed".
  printf("query: rows=%d count=%d sum=%.3f max=%s sqlite=%s\n", rows, sqlite3_column_int(query, 0),
         sqlite3_column_double(query, 1), (const char*)sqlite3_column_text(query, 2),
         sqlite3_libversion());
  fflush(stdout);
  sqlite3_finalize(query);
  sqlite3_close(db);
  return 0;
}
