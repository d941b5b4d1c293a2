// A bill: line items grouped by service, like an AWS bill, each with the arithmetic that
// produced it. Public: a replication's typed results hold its bill (fargatelab/results.hpp).
//
// Rounding rule: amounts are kept unrounded (double USD) in every LineItem and in total_usd().
// Only printing rounds: table() and the arithmetic strings show each amount rounded to cents
// (half away from zero), and the printed total is the unrounded total rounded once. So printed
// lines can differ from the printed total by a cent or two. (The Fargate and Lambda pricing pages'
// own examples round each component to cents before summing; this bill does not.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fargatelab {

struct LineItem {
  std::string service;     // AWS bill grouping, e.g. "AWS Fargate", "Amazon VPC"
  std::string item;        // what is charged, e.g. "Linux/x86_64 vCPU (api)"
  double quantity = 0;     // billed quantity in `unit`, after minimums, rounding and free tiers
  std::string unit;        // e.g. "vCPU-h", "GB-s", "requests", "LCU-h"
  double rate_usd = 0;     // USD per `unit` (per request, not per million)
  double amount_usd = 0;   // unrounded; negative for credits (Savings Plans coverage)
  std::string arithmetic;  // e.g. "2 tasks x 0.5 vCPU x 730 h x $0.04048/vCPU-h = $29.55"
  // Compute Savings Plans: the discount (fraction of this On-Demand amount) a plan would give
  // this item; 0 = not eligible.
  double savings_plan_discount = 0;
};

struct Bill {
  std::vector<LineItem> items;     // in the order they were added; grouped by service on output
  std::vector<std::string> notes;  // assumptions and per-function derivations, printed under the table
  std::string title;               // e.g. the usage file's name
  std::string region;
  std::optional<double> period_hours;       // the period the bill covers
  std::optional<double> monthly_total_usd;  // the same usage re-priced over a 730-hour month

  double total_usd() const;
  // Sum of the items of one service.
  double service_total_usd(const std::string& service) const;
  // Services in order of first appearance.
  std::vector<std::string> services() const;
  // {"title", "region", "currency": "USD", "period_hours", "total_usd", "monthly_total_usd",
  //  "services": [{"service", "total_usd", "items": [LineItem...]}], "items": [...], "notes"};
  // amounts unrounded.
  nlohmann::json to_json() const;
  // A text table grouped by service: each item with its amount (to cents) and its arithmetic,
  // a subtotal per service, and the total.
  std::string table() const;
};

}  // namespace fargatelab
