#include "pricing/bill.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "fargatelab/constants.hpp"

namespace fargatelab {

using namespace detail;

namespace {

// Fixed notation with `decimals` decimals, trailing zeros (and a trailing '.') removed.
std::string trimmed_fixed(double x, int decimals) {
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string group_thousands(const std::string& s) {
  const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
  const std::size_t dot = s.find('.');
  const std::size_t int_end = dot == std::string::npos ? s.size() : dot;
  std::string out = s.substr(0, start);
  const std::string digits = s.substr(start, int_end - start);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + s.substr(int_end);
}

double round_cents(double usd) { return std::round(usd * 100.0) / 100.0; }

}  // namespace

std::string detail::format_quantity(double x) { return group_thousands(trimmed_fixed(x, 6)); }

std::string detail::format_rate(double usd) {
  std::string out(1, '$');
  out += group_thousands(trimmed_fixed(usd, 10));
  return out;
}

std::string detail::format_usd(double usd) {
  const double r = round_cents(usd);
  std::string out = r < 0 ? "-$" : "$";
  out += group_thousands(fmt::format("{:.2f}", std::fabs(r)));
  return out;
}

double Bill::total_usd() const {
  double t = 0;
  for (const auto& i : items) t += i.amount_usd;
  return t;
}

double Bill::service_total_usd(const std::string& service) const {
  double t = 0;
  for (const auto& i : items)
    if (i.service == service) t += i.amount_usd;
  return t;
}

std::vector<std::string> Bill::services() const {
  std::vector<std::string> out;
  for (const auto& i : items)
    if (std::find(out.begin(), out.end(), i.service) == out.end()) out.push_back(i.service);
  return out;
}

namespace {

nlohmann::json item_json(const LineItem& i) {
  return {{"service", i.service}, {"item", i.item}, {"quantity", i.quantity}, {"unit", i.unit},
          {"rate_usd", i.rate_usd}, {"amount_usd", i.amount_usd}, {"arithmetic", i.arithmetic},
          {"savings_plan_discount", i.savings_plan_discount}};
}

}  // namespace

nlohmann::json Bill::to_json() const {
  nlohmann::json j;
  j["title"] = title;
  j["region"] = region;
  j["currency"] = "USD";
  j["period_hours"] = period_hours ? nlohmann::json(*period_hours) : nlohmann::json(nullptr);
  j["total_usd"] = total_usd();
  j["monthly_total_usd"] = monthly_total_usd ? nlohmann::json(*monthly_total_usd) : nlohmann::json(nullptr);
  j["rounding"] = "amounts are unrounded USD; round to cents only for display";
  nlohmann::json services_json = nlohmann::json::array();
  for (const auto& s : services()) {
    nlohmann::json items_json = nlohmann::json::array();
    for (const auto& i : items)
      if (i.service == s) items_json.push_back(item_json(i));
    services_json.push_back({{"service", s}, {"total_usd", service_total_usd(s)}, {"items", std::move(items_json)}});
  }
  j["services"] = std::move(services_json);
  nlohmann::json all = nlohmann::json::array();
  for (const auto& i : items) all.push_back(item_json(i));
  j["items"] = std::move(all);
  j["notes"] = notes;
  return j;
}

std::string Bill::table() const {
  constexpr int width = 78;
  std::string out;
  if (!title.empty() || !region.empty()) {
    out += title.empty() ? std::string("Bill") : title;
    if (!region.empty()) out += " — " + region;
    if (period_hours) out += fmt::format(" — {} h", format_quantity(*period_hours));
    out += "\n\n";
  }
  for (const auto& s : services()) {
    const std::string subtotal = format_usd(service_total_usd(s));
    out += fmt::format("{:<{}}{:>14}\n", s, width - 14, subtotal);
    for (const auto& i : items) {
      if (i.service != s) continue;
      out += fmt::format("  {:<{}}{:>14}\n", i.item, width - 16, format_usd(i.amount_usd));
      if (!i.arithmetic.empty()) out += "      " + i.arithmetic + "\n";
    }
    out += "\n";
  }
  out += fmt::format("{:<{}}{:>14}\n", "Total", width - 14, format_usd(total_usd()));
  if (monthly_total_usd && period_hours)
    out += fmt::format("{:<{}}{:>14}\n", fmt::format("Monthly view ({:g} h, re-priced)", month_hours), width - 14,
                       format_usd(*monthly_total_usd));
  if (!notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& n : notes) out += "  - " + n + "\n";
  }
  return out;
}

}  // namespace fargatelab
