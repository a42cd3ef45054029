// PDF business documents through libharu: a small one-table document model laid out on US
// Letter pages (page breaks, repeated table header, totals, "Page x of y"), and the pay
// statement and invoice built on it. Money is formatted from integer cents.
#include <hpdf.h>

#include <algorithm>
#include <memory>

#include "formats/formats.h"
#include "formats/internal.h"

namespace openmso::formats {

std::string FormatUsd(Money m) {
  int64_t c = m.cents();
  // Work on the magnitude as unsigned so that INT64_MIN does not overflow.
  uint64_t abs = c < 0 ? uint64_t(0) - static_cast<uint64_t>(c) : static_cast<uint64_t>(c);
  std::string whole = std::to_string(abs / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<size_t>(i), ",");
  std::string frac = std::to_string(abs % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (c < 0 ? "-$" : "$") + whole + "." + frac;
}

std::string FormatHours(std::chrono::minutes m) {
  int64_t v = m.count();
  bool neg = v < 0;
  uint64_t a = neg ? uint64_t(0) - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  uint64_t hundredths = (a * 100 + 30) / 60;  // half away from zero
  std::string frac = std::to_string(hundredths % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (neg && hundredths != 0 ? "-" : "") + std::to_string(hundredths / 100) + "." + frac;
}

namespace {

constexpr float kPageWidth = 612, kPageHeight = 792;  // US Letter, points
constexpr float kMargin = 48;
constexpr float kContentWidth = kPageWidth - 2 * kMargin;
constexpr float kBottom = kMargin + 24;  // room for the footer
constexpr float kFooterY = 32;
constexpr float kRowHeight = 14;
constexpr float kCellPad = 4;

// UTF-8 to Windows-1252, the encoding of the standard fonts' WinAnsiEncoding.
std::string ToWinAnsi(std::string_view text) {
  static constexpr std::pair<char32_t, unsigned char> kHigh[] = {
      {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
      {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
      {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
      {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
      {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F}};
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = internal::NextCodePoint(text, i);
    if (cp < 0x20 || cp == 0x7F) { out += ' '; continue; }
    if (cp < 0x7F || (cp >= 0xA0 && cp <= 0xFF)) { out += static_cast<char>(cp); continue; }
    char mapped = '?';
    for (const auto& [u, b] : kHigh)
      if (u == cp) mapped = static_cast<char>(b);
    out += mapped;
  }
  return out;
}

struct LibharuError {
  HPDF_STATUS code = 0;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<LibharuError*>(user);
  if (e->code == 0) *e = {code, detail};
}

class Layout {
 public:
  Layout() : pdf_(HPDF_New(&OnError, &error_), &HPDF_Free) {
    if (!pdf_) return;
    HPDF_SetCompressionMode(pdf_.get(), HPDF_COMP_ALL);
    regular_ = HPDF_GetFont(pdf_.get(), "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(pdf_.get(), "Helvetica-Bold", "WinAnsiEncoding");
  }

  bool failed() const { return !pdf_ || error_.code != 0; }
  Error LibraryError() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "libharu error 0x%04X detail %u", static_cast<unsigned>(error_.code),
                  static_cast<unsigned>(error_.detail));
    return Error::Internal(pdf_ ? buf : "HPDF_New failed");
  }
  HPDF_Doc doc() const { return pdf_.get(); }

  void NewPage() {
    page_ = HPDF_AddPage(pdf_.get());
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
    pages_.push_back(page_);
    y_ = kPageHeight - kMargin;
  }
  float y() const { return y_; }
  void set_y(float y) { y_ = y; }
  bool Fits(float height) const { return y_ - height >= kBottom; }

  float Width(const std::string& w1252, bool bold, float size) {
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    return HPDF_Page_TextWidth(page_, w1252.c_str());
  }
  // Cuts Windows-1252 text to `width` points, ending it with "..." when cut.
  std::string Fit(const std::string& w1252, bool bold, float size, float width) {
    if (Width(w1252, bold, size) <= width) return w1252;
    std::string s = w1252;
    while (!s.empty() && Width(s + "...", bold, size) > width) s.pop_back();
    return s + "...";
  }
  void Text(float x, float y, const std::string& w1252, bool bold, float size, Align align = Align::kLeft,
            float width = 0) {
    float w = Width(w1252, bold, size);
    float left = align == Align::kLeft ? x : align == Align::kRight ? x + width - w : x + (width - w) / 2;
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    HPDF_Page_TextOut(page_, left, y, w1252.c_str());
    HPDF_Page_EndText(page_);
  }
  void Rule(float x1, float x2, float y, float width = 0.5f) {
    HPDF_Page_SetLineWidth(page_, width);
    HPDF_Page_MoveTo(page_, x1, y);
    HPDF_Page_LineTo(page_, x2, y);
    HPDF_Page_Stroke(page_);
  }
  void Band(float y, float height) {
    HPDF_Page_SetGrayFill(page_, 0.9f);
    HPDF_Page_Rectangle(page_, kMargin, y, kContentWidth, height);
    HPDF_Page_Fill(page_);
    HPDF_Page_SetGrayFill(page_, 0.0f);
  }
  const std::vector<HPDF_Page>& pages() const { return pages_; }
  void UsePage(HPDF_Page p) { page_ = p; }

  Result<std::string> Bytes() {
    if (failed()) return LibraryError();
    if (HPDF_SaveToStream(pdf_.get()) != HPDF_OK) return LibraryError();
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf_.get());
    std::string out(size, '\0');
    HPDF_UINT32 got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(pdf_.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &got);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) return LibraryError();
    return out;
  }

 private:
  LibharuError error_;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> pdf_;
  HPDF_Font regular_ = nullptr, bold_ = nullptr;
  HPDF_Page page_ = nullptr;
  std::vector<HPDF_Page> pages_;
  float y_ = 0;
};

// Wraps Windows-1252 text into lines of at most `width` points, breaking at spaces.
std::vector<std::string> Wrap(Layout& l, const std::string& text, float size, float width) {
  std::vector<std::string> lines;
  std::string line;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    std::string word = text.substr(i, j - i);
    std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && l.Width(candidate, false, size) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
    while (l.Width(line, false, size) > width && line.size() > 1) {  // one very long word
      size_t k = line.size();
      while (k > 1 && l.Width(line.substr(0, k), false, size) > width) --k;
      lines.push_back(line.substr(0, k));
      line = line.substr(k);
    }
    i = j + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

Result<std::string> RenderPdf(const PdfDocument& doc) {
  const size_t n = doc.columns.size();
  if (n == 0) return Error::Invalid("columns", "empty", "A document table needs at least one column.");
  int total_weight = 0;
  for (size_t j = 0; j < n; ++j) {
    if (doc.columns[j].weight <= 0)
      return Error::Invalid("columns[" + std::to_string(j) + "].weight", "not_positive", "Column weights are positive.");
    total_weight += doc.columns[j].weight;
  }
  for (size_t i = 0; i < doc.rows.size(); ++i)
    if (doc.rows[i].size() != n)
      return Error::Invalid("rows[" + std::to_string(i) + "]", "cell_count", "Each row has one cell per column.");

  Layout l;
  if (l.failed()) return l.LibraryError();
  HPDF_SetInfoAttr(l.doc(), HPDF_INFO_CREATOR, "OpenMSO");
  HPDF_SetInfoAttr(l.doc(), HPDF_INFO_TITLE, ToWinAnsi(doc.title).c_str());
  l.NewPage();

  // Issuer (top left) and title with the key/value header (top right).
  const float right_x = kMargin + kContentWidth * 0.55f, right_w = kContentWidth * 0.45f;
  float left_y = l.y() - 12;
  for (size_t k = 0; k < doc.issuer.size(); ++k) {
    l.Text(kMargin, left_y, l.Fit(ToWinAnsi(doc.issuer[k]), k == 0, k == 0 ? 12 : 9, kContentWidth * 0.5f), k == 0,
           k == 0 ? 12 : 9);
    left_y -= k == 0 ? 16 : 12;
  }
  float head_y = l.y() - 16;
  l.Text(right_x, head_y, l.Fit(ToWinAnsi(doc.title), true, 18, right_w), true, 18, Align::kRight, right_w);
  head_y -= 22;
  for (const auto& kv : doc.header) {
    l.Text(right_x, head_y, l.Fit(ToWinAnsi(kv.key), true, 9, right_w * 0.45f), true, 9);
    l.Text(right_x + right_w * 0.45f, head_y, l.Fit(ToWinAnsi(kv.value), false, 9, right_w * 0.55f), false, 9,
           Align::kRight, right_w * 0.55f);
    head_y -= 13;
  }
  l.set_y(std::min(left_y, head_y) - 10);

  // Parties side by side.
  if (!doc.parties.empty()) {
    const float w = kContentWidth / static_cast<float>(doc.parties.size());
    float lowest = l.y();
    for (size_t k = 0; k < doc.parties.size(); ++k) {
      const float x = kMargin + w * static_cast<float>(k);
      float y = l.y() - 10;
      l.Text(x, y, l.Fit(ToWinAnsi(doc.parties[k].heading), true, 9, w - 8), true, 9);
      y -= 13;
      for (const auto& line : doc.parties[k].lines) {
        l.Text(x, y, l.Fit(ToWinAnsi(line), false, 9, w - 8), false, 9);
        y -= 12;
      }
      lowest = std::min(lowest, y);
    }
    l.set_y(lowest - 8);
  }

  // The table, continued on new pages with its header repeated.
  std::vector<float> xs(n + 1, kMargin);
  for (size_t j = 0; j < n; ++j)
    xs[j + 1] = xs[j] + kContentWidth * static_cast<float>(doc.columns[j].weight) / static_cast<float>(total_weight);
  auto table_header = [&]() {
    l.Band(l.y() - kRowHeight - 2, kRowHeight + 2);
    const float y = l.y() - kRowHeight + 2;
    for (size_t j = 0; j < n; ++j) {
      const float w = xs[j + 1] - xs[j] - 2 * kCellPad;
      l.Text(xs[j] + kCellPad, y, l.Fit(ToWinAnsi(doc.columns[j].header), true, 8.5f, w), true, 8.5f,
             doc.columns[j].align, w);
    }
    l.set_y(l.y() - kRowHeight - 4);
  };
  auto continued_page = [&]() {
    l.NewPage();
    const std::string ref = doc.header.empty() ? "" : " " + doc.header[0].value;  // e.g. the invoice number
    l.Text(kMargin, l.y() - 10, l.Fit(ToWinAnsi(doc.title + ref + " (continued)"), true, 10, kContentWidth), true, 10);
    l.set_y(l.y() - 22);
  };
  if (!l.Fits(2 * kRowHeight + 6)) continued_page();
  table_header();
  for (const auto& row : doc.rows) {
    if (!l.Fits(kRowHeight)) {
      continued_page();
      table_header();
    }
    const float y = l.y() - kRowHeight + 4;
    for (size_t j = 0; j < n; ++j) {
      const float w = xs[j + 1] - xs[j] - 2 * kCellPad;
      l.Text(xs[j] + kCellPad, y, l.Fit(ToWinAnsi(row[j]), false, 9, w), false, 9, doc.columns[j].align, w);
    }
    l.set_y(l.y() - kRowHeight);
  }
  l.Rule(kMargin, kMargin + kContentWidth, l.y() - 2);
  l.set_y(l.y() - 8);

  // Totals, kept together.
  if (!doc.totals.empty()) {
    const float height = static_cast<float>(doc.totals.size()) * kRowHeight + 4;
    if (!l.Fits(height)) continued_page();
    const float value_w = 110, label_w = 200;
    const float value_x = kMargin + kContentWidth - value_w, label_x = value_x - label_w - 10;
    for (const auto& t : doc.totals) {
      const float y = l.y() - kRowHeight + 4;
      l.Text(label_x, y, l.Fit(ToWinAnsi(t.label), t.emphasis, 9.5f, label_w), t.emphasis, 9.5f, Align::kRight, label_w);
      l.Text(value_x, y, l.Fit(ToWinAnsi(t.value), t.emphasis, 9.5f, value_w - kCellPad), t.emphasis, 9.5f,
             Align::kRight, value_w - kCellPad);
      l.set_y(l.y() - kRowHeight);
    }
    l.set_y(l.y() - 8);
  }

  // Notes, wrapped.
  for (const auto& note : doc.notes) {
    for (const auto& line : Wrap(l, ToWinAnsi(note), 9, kContentWidth)) {
      if (!l.Fits(12)) continued_page();
      l.Text(kMargin, l.y() - 10, line, false, 9);
      l.set_y(l.y() - 12);
    }
    l.set_y(l.y() - 6);
  }

  // Footers, now that the page count is known.
  const size_t count = l.pages().size();
  const std::string footer = ToWinAnsi(doc.footer);
  for (size_t k = 0; k < count; ++k) {
    l.UsePage(l.pages()[k]);
    l.Rule(kMargin, kMargin + kContentWidth, kFooterY + 12, 0.3f);
    l.Text(kMargin, kFooterY, l.Fit(footer, false, 8, kContentWidth * 0.7f), false, 8);
    const std::string page = "Page " + std::to_string(k + 1) + " of " + std::to_string(count);
    l.Text(kMargin + kContentWidth * 0.7f, kFooterY, page, false, 8, Align::kRight, kContentWidth * 0.3f);
  }
  return l.Bytes();
}

Result<std::string> RenderPayStatementPdf(const PayStatementDoc& s) {
  PdfDocument d;
  d.title = "Pay Statement";
  d.issuer.push_back(s.issuer_name);
  d.issuer.insert(d.issuer.end(), s.issuer_address.begin(), s.issuer_address.end());
  d.header = {{"Statement", s.statement_number},
              {"Pay period", s.period_start.ToString() + " to " + s.period_end.ToString()},
              {"Pay date", s.pay_date.ToString()}};
  TextBlock employee{"Employee", {s.employee_name}};
  if (!s.employee_id.empty()) employee.lines.push_back("ID " + s.employee_id);
  if (!s.worker_type.empty()) employee.lines.push_back(s.worker_type);
  d.parties.push_back(employee);
  if (!s.deposit_note.empty()) d.parties.push_back({"Payment", {s.deposit_note}});
  d.columns = {{"Code", 2, Align::kLeft}, {"Description", 6, Align::kLeft}, {"Hours", 2, Align::kRight},
               {"Rate", 2, Align::kRight}, {"Amount", 3, Align::kRight}};
  std::chrono::minutes hours{0};
  Money gross;
  for (const auto& line : s.lines) {
    d.rows.push_back({line.code, line.description, line.hours ? FormatHours(*line.hours) : "",
                      line.rate ? FormatUsd(*line.rate) : "", FormatUsd(line.amount)});
    if (line.hours) hours += *line.hours;
    gross += line.amount;
  }
  d.totals.push_back({"Total hours", FormatHours(hours)});
  d.totals.push_back({"Gross pay", FormatUsd(gross), true});
  if (!s.adjustments.empty()) {
    Money net = gross;
    for (const auto& a : s.adjustments) {
      d.totals.push_back({a.description, FormatUsd(a.amount)});
      net += a.amount;
    }
    d.totals.push_back({"Net this statement", FormatUsd(net), true});
  }
  d.footer = s.footer_note.empty() ? s.issuer_name + " - pay statement " + s.statement_number : s.footer_note;
  return RenderPdf(d);
}

Result<std::string> RenderInvoicePdf(const InvoiceDoc& inv) {
  PdfDocument d;
  d.title = "Invoice";
  d.issuer.push_back(inv.issuer_name);
  d.issuer.insert(d.issuer.end(), inv.issuer_address.begin(), inv.issuer_address.end());
  d.header = {{"Invoice number", inv.invoice_number},
              {"Issue date", inv.issue_date.ToString()},
              {"Due date", inv.due_date.ToString()},
              {"Service period", inv.period_start.ToString() + " to " + inv.period_end.ToString()}};
  d.parties.push_back({"Bill to", inv.bill_to});
  d.parties.push_back({"Facility", {inv.facility_name}});
  d.columns = {{"Timesheet", 3, Align::kLeft}, {"Date", 3, Align::kLeft},   {"Clinician", 5, Align::kLeft},
               {"Discipline", 2, Align::kLeft}, {"Hours", 2, Align::kRight}, {"Rate", 2, Align::kRight},
               {"Amount", 3, Align::kRight}};
  Money labor;
  for (const auto& line : inv.lines) {
    d.rows.push_back({line.timesheet_ref, line.work_date.ToString(), line.clinician, line.discipline,
                      FormatHours(line.hours), FormatUsd(line.rate), FormatUsd(line.amount)});
    labor += line.amount;
  }
  Money total = labor;
  d.totals.push_back({"Labor subtotal", FormatUsd(labor)});
  for (const auto& fee : inv.fees) {
    d.totals.push_back({fee.description, FormatUsd(fee.amount)});
    total += fee.amount;
  }
  d.totals.push_back({"Invoice total", FormatUsd(total), true});
  Money balance = total;
  for (const auto& p : inv.payments) {
    d.totals.push_back({"Payment " + p.date.ToString() + (p.reference.empty() ? "" : " " + p.reference),
                        FormatUsd(-p.amount)});
    balance -= p.amount;
  }
  d.totals.push_back({"Balance due", FormatUsd(balance), true});
  if (!inv.terms_note.empty()) d.notes.push_back(inv.terms_note);
  d.footer = inv.issuer_name + " - invoice " + inv.invoice_number;
  return RenderPdf(d);
}

}  // namespace openmso::formats
