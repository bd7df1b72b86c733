// A prepared SQLite statement that finalizes itself: the event log's (prepared once, kept for
// the connection's life) and the backup's one-off queries alike. Private to src/store.
#ifndef LAGESBILD_STORE_SQLITE_STATEMENT_H_
#define LAGESBILD_STORE_SQLITE_STATEMENT_H_

#include <string>

#include <sqlite3.h>

namespace lagesbild::sqlite {

class Statement {
 public:
  Statement() = default;
  // A one-off query, prepared at once; prepared() says whether it worked.
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // A statement kept and run many times (SQLite keeps it off its lookaside memory).
  int Prepare(sqlite3* db, const char* sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    rc_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    return rc_;
  }
  bool prepared() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return stmt_; }
  std::string Text(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace lagesbild::sqlite

#endif  // LAGESBILD_STORE_SQLITE_STATEMENT_H_
