// XLSX workbooks (payroll registers) through libxlsxwriter: typed cells, a frozen header
// with an autofilter, column widths and an optional totals row.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "formats/formats.h"
#include "formats/internal.h"

namespace openmso::formats {
namespace {

constexpr int64_t kMaxExactDouble = int64_t{1} << 53;

std::string ColumnLetters(size_t col) {
  std::string s;
  for (size_t n = col + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
  return s;
}

// Owns the workbook until it is closed (workbook_close frees it).
class WorkbookHandle {
 public:
  explicit WorkbookHandle(const std::string& path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    wb_ = workbook_new_opt(path.c_str(), &options);
  }
  ~WorkbookHandle() {
    if (wb_) workbook_close(wb_);
  }
  lxw_workbook* get() const { return wb_; }
  lxw_error Close() {
    lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    return e;
  }

 private:
  lxw_workbook* wb_ = nullptr;
};

Error LibraryError(const std::string& what, lxw_error e) {
  return Error::Make(ErrorCode::kUnavailable, "xlsx-write-failed", "The spreadsheet could not be written.",
                     what + ": " + lxw_strerror(e));
}

struct Formats {
  lxw_format* header;
  lxw_format* money;
  lxw_format* date;
  lxw_format* total_label;
  lxw_format* total_integer;
  lxw_format* total_money;
};

Result<void> WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, const Formats& f,
                       const std::string& at) {
  lxw_error e = LXW_NO_ERROR;
  switch (cell.kind) {
    case Cell::Kind::kEmpty:
      return Ok();
    case Cell::Kind::kText:
      // A string is stored as a shared string, never as a formula: no injection here.
      e = worksheet_write_string(ws, r, c, cell.text.c_str(), nullptr);
      break;
    case Cell::Kind::kInteger:
    case Cell::Kind::kMoney: {
      if (cell.value > kMaxExactDouble || cell.value < -kMaxExactDouble)
        return Error::Invalid(at, "too_large", "The number is too large for a spreadsheet cell.");
      double v = static_cast<double>(cell.value);
      if (cell.kind == Cell::Kind::kMoney) v /= 100.0;  // the nearest double to the decimal amount
      e = worksheet_write_number(ws, r, c, v, cell.kind == Cell::Kind::kMoney ? f.money : nullptr);
      break;
    }
    case Cell::Kind::kDate: {
      lxw_datetime dt{cell.date.year, static_cast<int>(cell.date.month), static_cast<int>(cell.date.day), 0, 0, 0};
      e = worksheet_write_datetime(ws, r, c, &dt, f.date);
      break;
    }
  }
  if (e != LXW_NO_ERROR) {
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
      return Error::Invalid(at, "too_long", "Spreadsheet cells hold at most 32,767 characters.");
    return LibraryError("write " + at, e);
  }
  return Ok();
}

Result<void> WriteSheet(lxw_workbook* wb, const Sheet& sheet, size_t k, const Formats& f) {
  const std::string at = "sheets[" + std::to_string(k) + "].";
  OPENMSO_ASSIGN_OR_RETURN(auto totals, internal::CheckSheet(sheet, at));
  if (sheet.name.empty() || workbook_validate_sheet_name(wb, sheet.name.c_str()) != LXW_NO_ERROR)
    return Error::Invalid(at + "name", "invalid", "1-31 characters, none of []:*?/\\, unique in the workbook.");
  if (sheet.rows.size() + 2 > LXW_ROW_MAX || sheet.columns.size() > LXW_COL_MAX)
    return Error::Invalid(at + "rows", "too_many", "Too many rows or columns for a worksheet.");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (!ws) return Error::Invalid(at + "name", "invalid", "The sheet name was refused.");
  const size_t n = sheet.columns.size();
  for (size_t j = 0; j < n; ++j) {
    const Column& col = sheet.columns[j];
    if (col.width_chars > 0) worksheet_set_column(ws, j, j, col.width_chars, nullptr);
    if (lxw_error e = worksheet_write_string(ws, 0, j, col.header.c_str(), f.header); e != LXW_NO_ERROR)
      return Error::Invalid(at + "columns[" + std::to_string(j) + "].header", "invalid", "The header cannot be written.");
  }
  for (size_t i = 0; i < sheet.rows.size(); ++i)
    for (size_t j = 0; j < n; ++j)
      OPENMSO_TRY(WriteCell(ws, i + 1, j, sheet.rows[i][j], f,
                            at + "rows[" + std::to_string(i) + "][" + std::to_string(j) + "]"));
  lxw_row_t last = static_cast<lxw_row_t>(sheet.rows.size());
  if (sheet.totals != TotalsRow::kNone) {
    const lxw_row_t r = last + 1;
    for (size_t j = 0; j < n; ++j) {
      if (!totals[j]) {
        if (j == 0) worksheet_write_string(ws, r, 0, sheet.totals_label.c_str(), f.total_label);
        else worksheet_write_blank(ws, r, j, f.total_label);
        continue;
      }
      const Cell& t = *totals[j];
      if (t.value > kMaxExactDouble || t.value < -kMaxExactDouble)
        return Error::Invalid(at + "columns[" + std::to_string(j) + "]", "too_large", "The total is too large for a spreadsheet cell.");
      double v = static_cast<double>(t.value);
      if (t.kind == Cell::Kind::kMoney) v /= 100.0;
      lxw_format* fmt = t.kind == Cell::Kind::kMoney ? f.total_money : f.total_integer;
      lxw_error e;
      if (sheet.totals == TotalsRow::kFormulas && !sheet.rows.empty()) {
        const std::string letters = ColumnLetters(j);
        const std::string formula = "=SUM(" + letters + "2:" + letters + std::to_string(last + 1) + ")";
        e = worksheet_write_formula_num(ws, r, j, formula.c_str(), fmt, v);  // v: the cached result
      } else {
        e = worksheet_write_number(ws, r, j, v, fmt);
      }
      if (e != LXW_NO_ERROR) return LibraryError("totals", e);
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_autofilter(ws, 0, 0, last, static_cast<lxw_col_t>(n - 1));
  return Ok();
}

}  // namespace

Result<void> WriteXlsx(const std::string& path, const Workbook& workbook) {
  if (workbook.sheets.empty()) return Error::Invalid("workbook", "empty", "A workbook needs at least one sheet.");
  WorkbookHandle wb(path);
  if (!wb.get()) return LibraryError("workbook_new", LXW_ERROR_CREATING_XLSX_FILE);
  Formats f{};
  f.header = workbook_add_format(wb.get());
  format_set_bold(f.header);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.money = workbook_add_format(wb.get());
  format_set_num_format(f.money, "#,##0.00");
  f.date = workbook_add_format(wb.get());
  format_set_num_format(f.date, "yyyy-mm-dd");
  f.total_label = workbook_add_format(wb.get());
  format_set_bold(f.total_label);
  format_set_top(f.total_label, LXW_BORDER_THIN);
  f.total_integer = workbook_add_format(wb.get());
  format_set_bold(f.total_integer);
  format_set_top(f.total_integer, LXW_BORDER_THIN);
  f.total_money = workbook_add_format(wb.get());
  format_set_bold(f.total_money);
  format_set_top(f.total_money, LXW_BORDER_THIN);
  format_set_num_format(f.total_money, "#,##0.00");
  for (size_t k = 0; k < workbook.sheets.size(); ++k) OPENMSO_TRY(WriteSheet(wb.get(), workbook.sheets[k], k, f));
  if (lxw_error e = wb.Close(); e != LXW_NO_ERROR) return LibraryError("workbook_close " + path, e);
  return Ok();
}

Result<std::string> RenderXlsx(const Workbook& workbook) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/openmso-xlsx-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return Error::Make(ErrorCode::kUnavailable, "xlsx-write-failed", "The spreadsheet could not be written.", "mkstemp failed");
  close(fd);
  auto written = WriteXlsx(path, workbook);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  std::remove(path.c_str());
  if (!written.ok()) return written.error();
  if (bytes.empty()) return Error::Make(ErrorCode::kUnavailable, "xlsx-write-failed", "The spreadsheet could not be written.", "empty output");
  return bytes;
}

}  // namespace openmso::formats
