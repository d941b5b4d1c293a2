// The typed tables of a run (fargatelab/table.hpp): column types, the event log's fields, and
// the CSV printed from them.
#include <catch2/catch.hpp>

#include <cmath>

#include "fargatelab/table.hpp"

using namespace fargatelab;
using nlohmann::json;

TEST_CASE("tables: counts are integers, measures real, and the CSV prints them", "[tables]") {
  RunResult r;
  r.timeseries_columns = {"requests", "latency_p50_ms", "odd"};
  r.timeseries = {{0, 60.0, "api", {3, 12.5, 1.5}}, {0, 120.0, "api", {4, NAN, 2}}};
  const Table t = timeseries_table(r);
  CHECK(t.at("replication").type == TableColumn::Type::integer);
  CHECK(t.at("time_s").type == TableColumn::Type::real);
  CHECK(t.at("service").type == TableColumn::Type::text);
  CHECK(t.at("requests").integers == std::vector<std::int64_t>{3, 4});
  CHECK(t.at("latency_p50_ms").type == TableColumn::Type::real);
  CHECK(t.at("odd").type == TableColumn::Type::real);  // a "count" that is not whole is not truncated
  CHECK(t.at("service").dictionary == std::vector<std::string>{"api"});  // stored once
  CHECK(timeseries_csv_text(r) ==
        "replication,time_s,service,requests,latency_p50_ms,odd\n"
        "0,60,api,3,12.5,1.5\n"
        "0,120,api,4,,2\n");
}

TEST_CASE("tables: the event log as columns, typed by what the records hold", "[tables]") {
  RunResult r;
  r.names = {"", "api/1", "us-east-1a"};
  r.events = {{0, 0, 0.0, "run_start", "s", {{"seed", 7}, {"note", "x"}}},
              {2, 0, 1.5, "custom", "e", {{"n", 2.5}, {"mixed", "a"}}},
              {3, 1, 2.0, "custom", "e", {{"seed", 8}, {"mixed", 3}, {"obj", {{"k", 1}}}}}};
  TaskTransition running;
  running.seq = 1;
  running.time_s = 0.5;
  running.task = 1;
  running.az = 2;
  running.state = 3;  // RUNNING
  running.from = 1;   // PENDING
  r.task_transitions = {running};
  const Table t = events_table(r);
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  // In order of first appearance: a record's fields as events.jsonl prints them.
  CHECK(names == std::vector<std::string>{"replication", "t", "kind", "entity", "note", "seed", "state", "from", "az",
                                          "capacity_provider", "mixed", "n", "obj"});
  CHECK(t.rows() == 4);
  CHECK(t.at("replication").integers == std::vector<std::int64_t>{0, 0, 0, 1});
  CHECK(t.at("t").reals == std::vector<double>{0.0, 0.5, 1.5, 2.0});
  const TableColumn& kind = t.at("kind");
  CHECK(kind.dictionary[kind.codes[1]] == "task_state");
  const TableColumn& state = t.at("state");
  REQUIRE(state.type == TableColumn::Type::text);
  CHECK(state.codes[0] == TableColumn::kMissing);
  CHECK(state.dictionary[state.codes[1]] == "RUNNING");
  CHECK(t.at("az").dictionary[t.at("az").codes[1]] == "us-east-1a");
  // Whole numbers in some records only: real, NaN in the others.
  const TableColumn& seed = t.at("seed");
  REQUIRE(seed.type == TableColumn::Type::real);
  CHECK(seed.reals[0] == 7);
  CHECK(std::isnan(seed.reals[1]));
  CHECK(seed.reals[3] == 8);
  CHECK(t.at("n").type == TableColumn::Type::real);
  // Text in one record, a number in another: JSON values, none where a record has no value.
  const TableColumn& mixed = t.at("mixed");
  REQUIRE(mixed.type == TableColumn::Type::json);
  CHECK(mixed.json[0].is_discarded());
  CHECK(mixed.json[2] == "a");
  CHECK(mixed.json[3] == 3);
  CHECK(t.at("obj").json[3] == json{{"k", 1}});
  // With no record at all, the four fields every record has.
  const Table empty = events_table(RunResult{});
  CHECK(empty.columns.size() == 4);
  CHECK(empty.rows() == 0);
}
