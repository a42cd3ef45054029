// Per-employee dynamic program over (last value, run length, run touches day 0, window
// minutes, window weekends, counts of tightly limited shift types), one layer per day.
#include "solver/row_dp.h"

#include <algorithm>
#include <numeric>

namespace openmso::solver::internal {
namespace {

// State key layout (64 bits).
constexpr int kValBits = 6, kRunBits = 7, kTsBits = 1, kMinBits = 12, kWkBits = 6, kCntBits = 8;
constexpr int kRunShift = kValBits, kTsShift = kRunShift + kRunBits, kMinShift = kTsShift + kTsBits,
              kWkShift = kMinShift + kMinBits, kCntShift = kWkShift + kWkBits;
static_assert(kCntShift + 4 * kCntBits <= 64);

struct Label {
  uint64_t key;
  int64_t cost;
  int32_t parent;
  int8_t value;
};

inline int KeyVal(uint64_t k) { return static_cast<int>(k & 63) - 1; }
inline int KeyRun(uint64_t k) { return static_cast<int>((k >> kRunShift) & 127); }
inline int KeyTs(uint64_t k) { return static_cast<int>((k >> kTsShift) & 1); }
inline int KeyMin(uint64_t k) { return static_cast<int>((k >> kMinShift) & 4095); }
inline int KeyWk(uint64_t k) { return static_cast<int>((k >> kWkShift) & 63); }
inline int KeyCnt(uint64_t k, int i) { return static_cast<int>((k >> (kCntShift + kCntBits * i)) & 255); }
inline uint64_t MakeKey(int v, int run, int ts, int minutes, int wk) {
  return static_cast<uint64_t>(v + 1) | static_cast<uint64_t>(run) << kRunShift |
         static_cast<uint64_t>(ts) << kTsShift | static_cast<uint64_t>(minutes) << kMinShift |
         static_cast<uint64_t>(wk) << kWkShift;
}

}  // namespace

RowDpOutcome OptimizeRow(const SearchState& st, int e, int first, int last, const RowDpLimits& limits) {
  const Instance& in = st.instance();
  const Employee& emp = in.employees[e];
  const int H = in.horizon, S = in.num_shifts(), W = in.num_weekends();
  const int8_t* x = st.row(e);
  const int len = last - first + 1;
  RowDpOutcome out;

  auto forbidden = [&](int s, int t) {
    const auto& f = in.shifts[s].forbidden_next;
    return std::find(f.begin(), f.end(), t) != f.end();
  };
  std::vector<uint8_t> forb(static_cast<size_t>(S) * S);
  for (int s = 0; s < S; ++s)
    for (int t = 0; t < S; ++t) forb[s * S + t] = forbidden(s, t);

  // Shifts with the same forbidden successors are interchangeable in the state.
  std::vector<int> rep(S);
  for (int s = 0; s < S; ++s) {
    rep[s] = s;
    for (int t = 0; t < s; ++t)
      if (std::equal(forb.begin() + s * S, forb.begin() + (s + 1) * S, forb.begin() + t * S)) {
        rep[s] = t;
        break;
      }
  }

  // Minutes in units of the gcd of the shift lengths.
  int g = 0;
  for (const ShiftType& sh : in.shifts) g = std::gcd(g, sh.minutes);
  if (g <= 0) g = 1;

  // Fixed part outside the window.
  int base_minutes = 0;
  std::vector<int> base_count(S, 0);
  for (int d = 0; d < H; ++d) {
    if (d >= first && d <= last) continue;
    if (x[d] != kOff) {
      base_minutes += in.shifts[x[d]].minutes;
      ++base_count[x[d]];
    }
  }
  int base_wk = 0;
  for (int k = 0; k < W; ++k) {
    int sat = 7 * k + 5, sun = 7 * k + 6;
    bool in_window = (sat >= first && sat <= last) || (sun >= first && sun <= last);
    if (!in_window) base_wk += (x[sat] != kOff || x[sun] != kOff);
  }
  const int hi_minutes = std::max(0, emp.max_minutes - base_minutes) / g;  // window units allowed
  const int hi_wk = std::max(0, emp.max_weekends - base_wk);
  // Shift limits and weekends are tracked lazily: solve without them, and when the
  // result breaks one, track it in the state and solve again.
  std::vector<int> tracked;      // shift indexes, at most 4
  std::vector<int> track_slot(S, -1);
  std::vector<int> rem(S, 0);
  for (int s = 0; s < S; ++s) rem[s] = std::max(0, emp.max_shifts[s] - base_count[s]);
  bool track_wk = false;
  bool exact = true;
  if (hi_minutes >= 4096 || len > 4096) return out;

  const int off_cap = std::max(1, emp.min_consecutive_off);
  const int maxc = emp.max_consecutive, minc = emp.min_consecutive, mino = emp.min_consecutive_off;

  // Cost of value v on day d: requests plus marginal cover cost given everyone else.
  std::vector<int64_t> cost(static_cast<size_t>(len) * (S + 1));
  int64_t current = 0;
  for (int i = 0; i < len; ++i) {
    int d = first + i;
    for (int v = -1; v < S; ++v) {
      if (limits.cost != nullptr) {
        cost[i * (S + 1) + v + 1] = limits.cost[i * (S + 1) + v + 1];
        continue;
      }
      int64_t c = st.RequestCost(e, d, v);
      if (v != kOff) {
        int n = st.CoverCount(d, v) - (x[d] == v ? 1 : 0);
        c += st.CoverCost(d, v, n + 1) - st.CoverCost(d, v, n);
      }
      cost[i * (S + 1) + v + 1] = c;
    }
    current += cost[i * (S + 1) + x[d] + 1];
  }

  bool prune_low = false;
  int64_t effort = 0;
  for (int attempt = 0;; ++attempt) {
  exact = true;
  // Initial state from the left context.
  uint64_t init;
  if (first == 0) {
    init = MakeKey(kOff, 0, 1, 0, 0);
  } else {
    int p = x[first - 1];
    bool work = p != kOff;
    int L = 0;
    int d = first - 1;
    while (d >= 0 && ((x[d] != kOff) == work)) --d, ++L;
    int ts = d < 0 ? 1 : 0;
    int run = work ? std::min(L, 127) : std::min(L, off_cap);
    if ((work && run >= minc) || (!work && run >= off_cap)) ts = 0;
    init = MakeKey(work ? rep[p] : kOff, run, ts, 0, 0);
  }

  // Most minutes the days from i on can still add (units), given only the maximum run
  // length: prunes states that can no longer reach the minimum total.
  const int lo_units = (emp.min_minutes - base_minutes + g - 1) / g;
  std::vector<int> reach(static_cast<size_t>(len + 1) * (maxc + 1), 0);
  for (int i = len - 1; i >= 0; --i) {
    int mm = 0;
    for (int v = 0; v < S; ++v)
      if (st.Allowed(e, first + i, v)) mm = std::max(mm, in.shifts[v].minutes / g);
    for (int r = 0; r <= maxc; ++r) {
      int best_r = reach[(i + 1) * (maxc + 1)];
      if (r < maxc && mm > 0) best_r = std::max(best_r, mm + reach[(i + 1) * (maxc + 1) + r + 1]);
      reach[i * (maxc + 1) + r] = best_r;
    }
  }
  if (attempt == 0) prune_low = lo_units > 0 && lo_units <= reach[0];

  // Layers of labels.
  std::vector<std::vector<Label>> layers(len + 1);
  layers[0].push_back({init, 0, -1, 0});
  // Open-addressing table for deduplication.
  size_t table_size = 1;
  std::vector<uint64_t> tkeys;
  std::vector<int32_t> tidx;
  std::vector<uint32_t> tgen;
  uint32_t gen = 0;
  std::vector<Label> next;

  for (int i = 0; i < len; ++i) {
    const int d = first + i;
    const std::vector<Label>& cur = layers[i];
    size_t want = cur.size() * (S + 1) * 2 + 16;
    if (table_size < want) {
      while (table_size < want) table_size <<= 1;
      tkeys.assign(table_size, 0);
      tidx.assign(table_size, 0);
      tgen.assign(table_size, 0);
      gen = 0;
    }
    ++gen;
    next.clear();
    const bool sat = d % 7 == 5 && d / 7 < W, sun = d % 7 == 6 && d / 7 < W;
    effort += static_cast<int64_t>(cur.size()) * (S + 1);
    for (int li = 0; li < static_cast<int>(cur.size()); ++li) {
      const Label& lab = cur[li];
      const uint64_t k = lab.key;
      const int pv = KeyVal(k), run = KeyRun(k), ts = KeyTs(k), mins = KeyMin(k), wk = KeyWk(k);
      const bool pwork = pv != kOff;
      for (int v = -1; v < S; ++v) {
        if (!st.Allowed(e, d, v)) continue;
        const bool work = v != kOff;
        int nrun, nts;
        if (work) {
          if (pwork) {
            if (forb[pv * S + v]) continue;
            nrun = run + 1;
            nts = ts;
          } else {
            if (!ts && run < mino) continue;  // inner off run too short
            nrun = 1;
            nts = d == 0 ? 1 : 0;
          }
          if (nrun > maxc) continue;
        } else {
          if (pwork) {
            if (!ts && run < minc) continue;  // inner work run too short
            nrun = 1;
            nts = d == 0 ? 1 : 0;
          } else {
            nrun = std::min(run + 1, off_cap);
            nts = ts;
          }
        }
        if ((work && nrun >= minc) || (!work && nrun >= off_cap)) nts = 0;
        int nmins = mins;
        if (work) {
          nmins += in.shifts[v].minutes / g;
          if (nmins > hi_minutes) continue;
        }
        if (prune_low && nmins + reach[(i + 1) * (maxc + 1) + (work ? std::min(nrun, maxc) : 0)] < lo_units) continue;
        int nwk = wk;
        if (sun) {
          int satv = i == 0 ? x[d - 1] : pv;
          nwk += (satv != kOff || work) ? 1 : 0;
        } else if (sat && d == last && d + 1 < H) {
          nwk += (work || x[d + 1] != kOff) ? 1 : 0;
        }
        if (!track_wk) nwk = 0;
        if (nwk > hi_wk) continue;
        uint64_t nk = MakeKey(work ? rep[v] : kOff, nrun, nts, nmins, nwk) | (k >> kCntShift << kCntShift);
        if (work && track_slot[v] < 0 && rem[v] == 0) continue;
        if (work && track_slot[v] >= 0) {
          int slot = track_slot[v];
          int c = KeyCnt(k, slot) + 1;
          if (c > rem[v]) continue;
          nk += static_cast<uint64_t>(1) << (kCntShift + kCntBits * slot);
        }
        const int64_t nc = lab.cost + cost[i * (S + 1) + v + 1];
        // Dedup.
        size_t h = (nk * 0x9E3779B97F4A7C15ULL) >> 20;
        for (;; ++h) {
          h &= table_size - 1;
          if (tgen[h] != gen) {
            tgen[h] = gen;
            tkeys[h] = nk;
            tidx[h] = static_cast<int32_t>(next.size());
            next.push_back({nk, nc, li, static_cast<int8_t>(v)});
            break;
          }
          if (tkeys[h] == nk) {
            Label& o = next[tidx[h]];
            if (nc < o.cost) {
              o.cost = nc;
              o.parent = li;
              o.value = static_cast<int8_t>(v);
            }
            break;
          }
        }
      }
    }
    // Dominance: with the same (value, run, border flag, minutes), a label that is no
    // dearer and has no more weekends and no more of each tracked shift type wins.
    if (next.size() > 1 && (track_wk || !tracked.empty())) {
      constexpr uint64_t kBaseMask = (uint64_t{1} << kWkShift) - 1;
      std::sort(next.begin(), next.end(), [](const Label& a, const Label& b) {
        uint64_t ka = a.key & kBaseMask, kb = b.key & kBaseMask;
        return ka != kb ? ka < kb : a.cost < b.cost;
      });
      const int nt = static_cast<int>(tracked.size());
      auto dominates = [nt](uint64_t a, uint64_t b) {
        if (KeyWk(a) > KeyWk(b)) return false;
        for (int t = 0; t < nt; ++t)
          if (KeyCnt(a, t) > KeyCnt(b, t)) return false;
        return true;
      };
      size_t out_n = 0, group_start = 0;
      for (size_t j = 0; j < next.size(); ++j) {
        if (j == 0 || (next[j].key & kBaseMask) != (next[out_n - 1].key & kBaseMask)) group_start = out_n;
        bool dominated = false;
        for (size_t q = group_start; q < out_n && !dominated; ++q) dominated = dominates(next[q].key, next[j].key);
        if (!dominated) next[out_n++] = next[j];
      }
      next.resize(out_n);
    }
    if (static_cast<int>(next.size()) > limits.max_labels) {
      exact = false;
      std::nth_element(next.begin(), next.begin() + limits.max_labels, next.end(),
                       [](const Label& a, const Label& b) { return a.cost < b.cost; });
      next.resize(limits.max_labels);
    }
    if (next.empty()) {
      if (!prune_low) {
        RowDpOutcome none;
        none.work = effort;
        return none;
      }
      prune_low = false;  // the minimum cannot be met: price it instead
      break;
    }
    layers[i + 1].swap(next);
  }

  if (layers[len].empty()) continue;  // retry without the minimum-minutes pruning
  // Terminal: price the rules that reach outside the window.
  const int64_t kBig = int64_t{1} << 32;
  int nb = kOff, R = 0;
  bool te = true;
  if (last + 1 < H) {
    nb = x[last + 1];
    bool work = nb != kOff;
    int d = last + 1;
    while (d < H && ((x[d] != kOff) == work)) ++d, ++R;
    te = d == H;
  }
  int best = -1;
  int64_t best_score = 0, best_viol = 0;
  const std::vector<Label>& fin = layers[len];
  for (int li = 0; li < static_cast<int>(fin.size()); ++li) {
    const Label& lab = fin[li];
    const uint64_t k = lab.key;
    const int v = KeyVal(k), run = KeyRun(k), ts = KeyTs(k);
    int64_t viol = 0;
    if (last + 1 < H) {
      const bool work = v != kOff, nwork = nb != kOff;
      if (work && nwork) {
        if (forb[v * S + nb]) viol += kUnit;
        int total = run + R;
        if (total > maxc) viol += kUnit * (total - maxc);
        if (!ts && !te && total < minc) viol += kUnit * (minc - total);
      } else if (work && !nwork) {
        if (!ts && run < minc) viol += kUnit * (minc - run);
        if (!te && R < mino) viol += kUnit * (mino - R);
      } else if (!work && nwork) {
        if (!ts && run < mino) viol += kUnit * (mino - run);
        if (!te && R < minc) viol += kUnit * (minc - R);
        if (R > maxc) viol += kUnit * (R - maxc);
      } else {
        int total = run + R;
        if (!ts && !te && total < mino) viol += kUnit * (mino - total);
      }
    }
    int minutes = base_minutes + KeyMin(k) * g;
    if (minutes > emp.max_minutes) viol += (minutes - emp.max_minutes + 7) / 8;
    if (minutes < emp.min_minutes) viol += (emp.min_minutes - minutes + 7) / 8;
    int wk = base_wk + KeyWk(k);
    if (track_wk && wk > emp.max_weekends) viol += kUnit * (wk - emp.max_weekends);
    for (int s = 0; s < S; ++s) {
      if (track_slot[s] >= 0) continue;
      // Untracked types: only the fixed part is known here.
      if (base_count[s] > emp.max_shifts[s]) viol += kUnit * (base_count[s] - emp.max_shifts[s]);
    }
    int64_t score = viol * kBig + lab.cost;
    if (best < 0 || score < best_score) {
      best = li;
      best_score = score;
      best_viol = viol;
    }
  }
  out.row.assign(len, kOff);
  int li = best;
  for (int i = len; i > 0; --i) {
    const Label& lab = layers[i][li];
    out.row[i - 1] = lab.value;
    li = lab.parent;
  }
  out.found = true;
  out.exact = exact;
  out.d_objective = fin[best].cost - current;
  out.violation = best_viol;
  // Untracked limits broken by the result: track them and solve again.
  bool retry = false;
  if (attempt < 4) {
    std::vector<int> cnt(S, 0);
    for (int v : out.row)
      if (v != kOff) ++cnt[v];
    for (int s = 0; s < S; ++s)
      if (track_slot[s] < 0 && cnt[s] > rem[s]) {
        if (tracked.size() < 4 && static_cast<int>(tracked.size()) < limits.max_tracked_types && rem[s] < 255) {
          track_slot[s] = static_cast<int>(tracked.size());
          tracked.push_back(s);
          retry = true;
        } else {
          out.exact = false;
        }
      }
    if (!track_wk) {
      int wk = base_wk;
      for (int k = 0; k < W; ++k) {
        int sat = 7 * k + 5, sun = 7 * k + 6;
        bool in_window = (sat >= first && sat <= last) || (sun >= first && sun <= last);
        if (!in_window) continue;
        int vs = sat >= first && sat <= last ? out.row[sat - first] : x[sat];
        int vu = sun >= first && sun <= last ? out.row[sun - first] : x[sun];
        wk += (vs != kOff || vu != kOff);
      }
      if (wk > emp.max_weekends && hi_wk < 63) {
        track_wk = true;
        retry = true;
      }
    }
  } else {
    out.exact = false;
  }
  if (!retry) break;
  out = RowDpOutcome{};
  }  // attempt
  out.work = effort;
  return out;
}

}  // namespace openmso::solver::internal
