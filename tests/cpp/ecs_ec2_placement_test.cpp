// ECS on EC2 capacity: the instance-type table and task placement on a cluster of container
// instances. Expected values are computed by hand in the comments (practice 13); instance
// sizes are the table's (m5.large: 2 vCPU = 2048 CPU units, 8 GiB = 8192 MiB, 3 ENIs).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "fargatelab/random.hpp"
#include "platforms/ecs_ec2/cluster.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

PlacementRequest task(int cpu, int memory, NetworkMode mode = NetworkMode::awsvpc, TaskGroup group = 1) {
  PlacementRequest r;
  r.group = group;
  r.cpu_units = cpu;
  r.memory_mib = memory;
  r.network_mode = mode;
  return r;
}

// Places and commits n tasks, returning the chosen instances in order; every one must fit.
std::vector<InstanceId> place_n(Cluster& c, int n, const PlacementRequest& r) {
  std::vector<InstanceId> out;
  for (int k = 0; k < n; ++k) {
    PlacementFailure why;
    const auto id = c.place(r, &why);
    INFO("task " << k + 1 << ": " << why.reason());
    REQUIRE(id);
    c.commit(*id, r);
    out.push_back(*id);
  }
  return out;
}

// The failure of one more placement, which must fail.
PlacementFailure fail_one(Cluster& c, const PlacementRequest& r) {
  PlacementFailure why;
  REQUIRE_FALSE(c.place(r, &why));
  return why;
}

std::map<InstanceId, int> tasks_per_instance(const Cluster& c) {
  std::map<InstanceId, int> out;
  for (const auto& i : c.instances()) out[i.id] = i.tasks;
  return out;
}

RandomStream placement_stream(std::uint64_t seed) { return RandomStream(seed, stream_id("ecs_ec2.placement"), 0); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Instance types

TEST_CASE("ec2 placement: the instance-type table holds the documented sizes, ENIs and prices", "[ec2]") {
  const InstanceType* m5 = find_instance_type("m5.large");
  REQUIRE(m5);
  CHECK(m5->vcpu == 2);
  CHECK(m5->memory_mib == 8192);          // 8.00 GiB * 1024
  CHECK(m5->cpu_units() == 2048);         // 2 vCPU * 1024 units
  CHECK(m5->architecture == CpuArchitecture::x86_64);
  CHECK(m5->max_enis == 3);
  CHECK(m5->ipv4_per_eni == 10);
  CHECK(m5->trunking_supported);
  CHECK(m5->trunking_task_limit == 10);
  CHECK(m5->on_demand_usd_per_hour == Approx(0.096));

  const InstanceType* c7g = find_instance_type("c7g.large");
  REQUIRE(c7g);
  CHECK(c7g->architecture == CpuArchitecture::arm64);
  CHECK(to_string(c7g->architecture) == "arm64");
  CHECK(c7g->memory_mib == 4096);
  CHECK(c7g->on_demand_usd_per_hour == Approx(0.0725));

  CHECK(find_instance_type("m9.huge") == nullptr);
  CHECK(find_instance_type("") == nullptr);

  // Every type the brief asks for is present, and the names list matches the table.
  for (const char* name : {"t3.medium", "t3.large", "m5.large", "m5.xlarge", "m5.2xlarge", "m6i.large", "m6i.xlarge",
                           "m6i.2xlarge", "c6i.large", "c6i.xlarge", "r6i.large", "m6g.large", "m6g.xlarge",
                           "m7g.large", "m7g.xlarge", "c7g.large"}) {
    INFO(name);
    CHECK(find_instance_type(name) != nullptr);
  }
  CHECK(instance_type_names().size() == instance_types().size());
  CHECK(instance_type_names().size() == 16);
  CHECK(instance_type_list().find("m7g.xlarge") != std::string::npos);
}

TEST_CASE("ec2 placement: ENI limits agree with the ECS task limits without trunking (ENIs minus the primary)", "[ec2]") {
  // ECS Developer Guide, "Supported Amazon EC2 instance types" for trunking, column "Task limit
  // without ENI trunking": .large 2, .xlarge 3, .2xlarge 3 for every family listed here; the
  // guide says the ENI limit is that number plus one (the primary).
  for (const auto& t : instance_types()) {
    INFO(t.name);
    const bool large = t.name.ends_with(".large");
    if (t.trunking_supported) CHECK(t.max_enis - 1 == (large ? 2 : 3));
    CHECK(t.awsvpc_task_limit(false) == t.max_enis - 1);
    CHECK(t.awsvpc_task_limit(true) == (t.trunking_supported ? t.trunking_task_limit : t.max_enis - 1));
  }
  // T3 is not in the ECS trunking list: trunking changes nothing there.
  const InstanceType* t3 = find_instance_type("t3.medium");
  REQUIRE(t3);
  CHECK_FALSE(t3->trunking_supported);
  CHECK(t3->awsvpc_task_limit(true) == 2);  // 3 ENIs - 1
  CHECK(find_instance_type("m5.2xlarge")->awsvpc_task_limit(true) == 40);
}

TEST_CASE("ec2 placement: the agent registers memory minus ECS_RESERVED_MEMORY, 0 by default", "[ec2]") {
  const InstanceType& m5 = *find_instance_type("m5.large");
  CHECK(registered_memory_mib(m5) == 8192);
  CHECK(registered_memory_mib(m5, 256) == 7936);  // 8192 - 256
  CHECK_THROWS_AS(registered_memory_mib(m5, -1), std::invalid_argument);
  CHECK_THROWS_AS(registered_memory_mib(m5, 8192), std::invalid_argument);

  Cluster c;
  const InstanceId id = c.add_instance("m5.large", "us-east-1a", InstanceOptions{false, 256});
  CHECK(c.instance(id).registered_memory_mib == 7936);
  PlacementFailure why = fail_one(c, task(256, 8000));  // 8000 > 7936
  CHECK(why.reason() == "RESOURCE:MEMORY");
  CHECK(c.place(task(256, 7936)) == id);  // exactly what is registered fits
}

// ---------------------------------------------------------------------------------------------
// Strategies

TEST_CASE("ec2 placement: binpack(memory) packs 8 tasks onto 2 of 4 m5.large, spread(instanceId) uses all 4", "[ec2]") {
  // Tasks of 512 CPU units and 1024 MiB in bridge mode (awsvpc without trunking would cap each
  // m5.large at 2 tasks by ENIs; see the ENI test). Per m5.large: CPU 2048 / 512 = 4 tasks,
  // memory 8192 / 1024 = 8 tasks, so CPU binds at 4 and 8 tasks need ceil(8 / 4) = 2 instances.
  const PlacementRequest r = task(512, 1024, NetworkMode::bridge);

  SECTION("binpack(memory)") {
    Cluster c;
    for (int i = 0; i < 4; ++i) c.add_instance("m5.large", "us-east-1a");
    const PlacementStrategy binpack[] = {PlacementStrategy::binpack_memory()};
    PlacementRequest rb = r;
    rb.strategies = binpack;
    // Task 1: all have 8192 MiB left, tie -> id 1. Tasks 2-4: id 1 has the least memory left
    // (7168, 6144, 5120). Task 5: id 1 has 0 CPU units left, 2-4 tie at 8192 -> id 2, and so on.
    CHECK(place_n(c, 8, rb) == std::vector<InstanceId>{1, 1, 1, 1, 2, 2, 2, 2});
    CHECK(tasks_per_instance(c) == std::map<InstanceId, int>{{1, 4}, {2, 4}, {3, 0}, {4, 0}});
    CHECK(c.instance(1).remaining_cpu_units == 0);       // 2048 - 4 * 512
    CHECK(c.instance(1).remaining_memory_mib == 4096);   // 8192 - 4 * 1024
  }
  SECTION("spread(instanceId)") {
    Cluster c;
    for (int i = 0; i < 4; ++i) c.add_instance("m5.large", "us-east-1a");
    const PlacementStrategy spread[] = {PlacementStrategy::spread_instances()};
    PlacementRequest rs = r;
    rs.strategies = spread;
    // Each task goes to an instance with the fewest of the service's tasks, lowest id first.
    CHECK(place_n(c, 8, rs) == std::vector<InstanceId>{1, 2, 3, 4, 1, 2, 3, 4});
    CHECK(tasks_per_instance(c) == std::map<InstanceId, int>{{1, 2}, {2, 2}, {3, 2}, {4, 2}});
  }
}

TEST_CASE("ec2 placement: spread(availability zone) over 3 zones keeps the zones' task counts within one", "[ec2]") {
  // Zones a: ids 1, 2; b: id 3; c: ids 4, 5, 6 (m5.xlarge: 4096 units, 16384 MiB; room for 16
  // tasks of 256 units each). Strategy [spread(az), spread(instanceId)].
  Cluster c;
  for (const char* az : {"us-east-1a", "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1c", "us-east-1c"})
    c.add_instance("m5.xlarge", az);
  const PlacementStrategy strategy[] = {PlacementStrategy::spread_zones(), PlacementStrategy::spread_instances()};
  PlacementRequest r = task(256, 512, NetworkMode::bridge);
  r.strategies = strategy;

  // By hand, (a, b, c) counts before each task -> zones kept -> instance with fewest tasks:
  //  1: (0,0,0) all     -> id 1      2: (1,0,0) b,c -> id 3      3: (1,1,0) c -> id 4
  //  4: (1,1,1) all     -> ids 2,5,6 have 0 -> id 2               5: (2,1,1) b,c -> 5 (0 tasks)
  //  6: (2,1,2) b -> id 3            7: (2,2,2) all -> id 6 (only one with 0 tasks)
  //  8: (2,2,3) a,b -> ids 1,2 have 1, id 3 has 2 -> id 1          9: (3,2,3) b -> id 3
  // 10: (3,3,3) all -> ids 2,4,5,6 have 1 -> id 2.   Final (a, b, c) = (4, 3, 3).
  std::vector<InstanceId> chosen;
  for (int k = 0; k < 10; ++k) {
    chosen.push_back(place_n(c, 1, r).front());
    const int a = c.tasks_in_az(1, "us-east-1a"), b = c.tasks_in_az(1, "us-east-1b"), z = c.tasks_in_az(1, "us-east-1c");
    CHECK(std::max({a, b, z}) - std::min({a, b, z}) <= 1);
  }
  CHECK(chosen == std::vector<InstanceId>{1, 3, 4, 2, 5, 3, 6, 1, 3, 2});
  CHECK(c.tasks_in_az(1, "us-east-1a") == 4);
  CHECK(c.tasks_in_az(1, "us-east-1b") == 3);
  CHECK(c.tasks_in_az(1, "us-east-1c") == 3);
  CHECK(c.tasks_of(1) == 10);
  CHECK(c.tasks_in_az(2, "us-east-1a") == 0);  // another service has none
}

TEST_CASE("ec2 placement: spread then binpack fills one instance per zone first (ECS doc example)", "[ec2]") {
  // "distributes tasks evenly across Availability Zones and then bin packs tasks based on memory
  // within each Availability Zone". Zones a: ids 1, 2; b: ids 3, 4 (m5.large); tasks 512 units,
  // 1024 MiB, bridge: 4 per instance by CPU. Zone ties keep both zones, and binpack then takes
  // the fuller instance (ids 1 and 3 alternate) until they are full after 4 tasks each; task 9:
  // a and b tie at 4, only ids 2 and 4 fit, equal memory -> id 2; task 10: zone b -> id 4.
  Cluster c;
  for (const char* az : {"a", "a", "b", "b"}) c.add_instance("m5.large", az);
  const PlacementStrategy strategy[] = {PlacementStrategy::spread_zones(), PlacementStrategy::binpack_memory()};
  PlacementRequest r = task(512, 1024, NetworkMode::bridge);
  r.strategies = strategy;
  CHECK(place_n(c, 10, r) == std::vector<InstanceId>{1, 3, 1, 3, 1, 3, 1, 3, 2, 4});
}

TEST_CASE("ec2 placement: spread is best effort; when nothing fits the reason is RESOURCE:CPU", "[ec2]") {
  // Zone a: id 1 (m5.large, 2048 units), zone b: id 2 (m5.xlarge, 4096 units); tasks of 1024
  // units: a holds 2, b holds 4. spread(az): a, b, a, b, then a is full so b, b (a=2, b=4):
  // a full zone does not stop placement. Task 7: both instances miss CPU only -> the closest
  // is the lowest id, 1.
  Cluster c;
  c.add_instance("m5.large", "us-east-1a");
  c.add_instance("m5.xlarge", "us-east-1b");
  const PlacementStrategy strategy[] = {PlacementStrategy::spread_zones()};
  PlacementRequest r = task(1024, 1024, NetworkMode::bridge);
  r.strategies = strategy;
  CHECK(place_n(c, 6, r) == std::vector<InstanceId>{1, 2, 1, 2, 2, 2});
  const PlacementFailure why = fail_one(c, r);
  CHECK(why.reason() == "RESOURCE:CPU");
  REQUIRE(why.closest);
  CHECK(*why.closest == 1);
  CHECK(why.message("api") ==
        "(service api) was unable to place a task because no container instance met all of its requirements. "
        "The closest matching (container-instance 1) has insufficient CPU units available. For more information, "
        "see the Troubleshooting section of the Amazon ECS Developer Guide.");
}

TEST_CASE("ec2 placement: random is reproducible for a fixed stream seed and uniform among candidates", "[ec2]") {
  const PlacementStrategy strategy[] = {PlacementStrategy::random()};
  PlacementRequest r = task(128, 256, NetworkMode::bridge);  // 16 per m5.large by CPU
  r.strategies = strategy;
  auto run = [&](std::uint64_t seed) {
    Cluster c(placement_stream(seed));
    for (int i = 0; i < 4; ++i) c.add_instance("m5.large", "us-east-1a");
    return place_n(c, 20, r);
  };
  const auto first = run(7);
  CHECK(run(7) == first);   // same seed, same instances in the same order
  CHECK(run(8) != first);   // another seed, another sequence (fixed seeds: a deterministic check)

  // Uniform: 4000 draws among 4 candidates without committing: 1000 each expected, binomial
  // sd = sqrt(4000 * 1/4 * 3/4) = 27.4; +-150 is 5.5 sd.
  Cluster c(placement_stream(11));
  for (int i = 0; i < 4; ++i) c.add_instance("m5.large", "us-east-1a");
  std::map<InstanceId, int> hits;
  for (int k = 0; k < 4000; ++k) ++hits[*c.place(r)];
  REQUIRE(hits.size() == 4);
  for (const auto& [id, n] : hits) {
    INFO("instance " << id);
    CHECK(std::abs(n - 1000) <= 150);
  }
}

// ---------------------------------------------------------------------------------------------
// Resources

TEST_CASE("ec2 placement: awsvpc on m5.large holds 2 tasks without trunking, 10 with it; bridge has no ENI cap", "[ec2]") {
  // Tasks of 128 CPU units and 256 MiB: CPU and memory leave room for 2048 / 128 = 16 and
  // 8192 / 256 = 32 tasks, so only ENIs can stop the awsvpc ones early.
  SECTION("without trunking: 3 ENIs - 1 primary = 2 tasks") {
    Cluster c;
    const InstanceId id = c.add_instance("m5.large", "us-east-1a");
    CHECK(c.instance(id).eni_capacity == 2);
    place_n(c, 2, task(128, 256));
    const PlacementFailure why = fail_one(c, task(128, 256));
    CHECK(why.reason() == "RESOURCE:ENI");
    CHECK(why.closest == id);
    CHECK(c.instance(id).remaining_cpu_units == 1792);     // 2048 - 2 * 128: CPU is free
    CHECK(c.instance(id).remaining_memory_mib == 7680);    // 8192 - 2 * 256: memory is free
    CHECK(c.place(task(128, 256, NetworkMode::bridge)) == id);  // a bridge task still fits
  }
  SECTION("with trunking: the ECS trunking limit, 10 tasks") {
    Cluster c;
    const InstanceId id = c.add_instance("m5.large", "us-east-1a", InstanceOptions{true, 0});
    CHECK(c.instance(id).trunking);
    CHECK(c.instance(id).eni_capacity == 10);
    place_n(c, 10, task(128, 256));
    CHECK(fail_one(c, task(128, 256)).reason() == "RESOURCE:ENI");
    CHECK(c.instance(id).remaining_cpu_units == 768);  // 2048 - 10 * 128
  }
  SECTION("trunking on a type without it (t3.medium) keeps 3 - 1 = 2") {
    Cluster c;
    const InstanceId id = c.add_instance("t3.medium", "us-east-1a", InstanceOptions{true, 0});
    CHECK_FALSE(c.instance(id).trunking);
    CHECK(c.instance(id).eni_capacity == 2);
  }
  SECTION("bridge: CPU binds at 16") {
    Cluster c;
    c.add_instance("m5.large", "us-east-1a");
    place_n(c, 16, task(128, 256, NetworkMode::bridge));
    CHECK(fail_one(c, task(128, 256, NetworkMode::bridge)).reason() == "RESOURCE:CPU");
  }
}

TEST_CASE("ec2 placement: a task needing more memory than any instance has fails with RESOURCE:MEMORY", "[ec2]") {
  Cluster c;
  c.add_instance("m5.large", "us-east-1a");   // id 1: 8192 MiB
  c.add_instance("r6i.large", "us-east-1b");  // id 2: 16384 MiB
  const PlacementFailure why = fail_one(c, task(256, 20000));  // both miss memory only -> id 1
  CHECK(why.reason() == "RESOURCE:MEMORY");
  CHECK(why.closest == InstanceId{1});
  CHECK(why.message("api") ==
        "(service api) was unable to place a task because no container instance met all of its requirements. "
        "The closest matching (container-instance 1) has insufficient memory available. For more information, "
        "see the Troubleshooting section of the Amazon ECS Developer Guide.");
  CHECK(c.place(task(256, 16384)) == InstanceId{2});  // fits the r6i.large exactly

  // The closest instance misses the fewest checks: for 3000 units and 20000 MiB an m5.large
  // (2048 units, 8192 MiB) misses CPU and memory, an m5.xlarge (4096, 16384) memory only.
  Cluster d;
  d.add_instance("m5.large", "us-east-1a");   // id 1
  d.add_instance("m5.xlarge", "us-east-1a");  // id 2
  const PlacementFailure w = fail_one(d, task(3000, 20000));
  CHECK(w.reason() == "RESOURCE:MEMORY");
  CHECK(w.closest == InstanceId{2});
}

TEST_CASE("ec2 placement: an empty cluster reports that no container instances were found", "[ec2]") {
  Cluster c;
  const PlacementFailure why = fail_one(c, task(256, 512));
  CHECK(why.kind == PlacementFailure::Kind::no_container_instances);
  CHECK_FALSE(why.closest);
  CHECK(why.message("api") ==
        "(service api) was unable to place a task because no container instance met all of its requirements. "
        "Reason: No Container Instances were found in your cluster. For more information, see the "
        "Troubleshooting section of the Amazon ECS Developer Guide.");
  CHECK_THROWS_AS(c.place(task(256, 0)), std::invalid_argument);
  CHECK_THROWS_AS(c.place(task(-1, 512)), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Constraints

TEST_CASE("ec2 placement: distinctInstance with 5 tasks on 4 instances places 4 and reports the constraint", "[ec2]") {
  Cluster c;
  for (int i = 0; i < 4; ++i) c.add_instance("m5.large", "us-east-1a");
  const PlacementConstraint distinct[] = {PlacementConstraint::distinct_instance()};
  PlacementRequest r = task(256, 512, NetworkMode::awsvpc, /*group=*/7);
  r.constraints = distinct;
  // No strategy: the lowest id without a task of group 7 each time.
  CHECK(place_n(c, 4, r) == std::vector<InstanceId>{1, 2, 3, 4});
  const PlacementFailure why = fail_one(c, r);  // every instance has resources but a group-7 task
  CHECK(why.reason() == "distinctInstance");
  CHECK_FALSE(why.closest);
  CHECK(why.message("web") ==
        "(service web) was unable to place a task because no container instance met all of its requirements. "
        "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
  // Another service is not constrained by group 7's tasks.
  PlacementRequest other = r;
  other.group = 8;
  CHECK(c.place(other) == InstanceId{1});
}

TEST_CASE("ec2 placement: memberOf restricts instances by type, zone or architecture", "[ec2]") {
  Cluster c;
  c.add_instance("m5.large", "us-east-1a");   // id 1
  c.add_instance("c6i.large", "us-east-1a");  // id 2
  c.add_instance("c6i.large", "us-east-1b");  // id 3
  c.add_instance("m6g.large", "us-east-1b");  // id 4
  auto only = [&](std::string_view expression) {
    const PlacementConstraint k[] = {PlacementConstraint::member_of(expression)};
    std::vector<InstanceId> admitted;
    for (const auto& i : c.instances())
      if (k[0].admits(*i.type, c.az_name(i.zone))) admitted.push_back(i.id);
    return admitted;
  };
  CHECK(only("attribute:ecs.instance-type == c6i.large") == std::vector<InstanceId>{2, 3});
  CHECK(only("attribute:ecs.instance-type =~ m.*") == std::vector<InstanceId>{1, 4});
  CHECK(only("attribute:ecs.instance-type =~ m5\\.large") == std::vector<InstanceId>{1});
  CHECK(only("attribute:ecs.instance-type matches c6i.large") == std::vector<InstanceId>{2, 3});  // '.' is any char
  CHECK(only("attribute:ecs.instance-type !~ .*large") == std::vector<InstanceId>{});
  CHECK(only("attribute:ecs.cpu-architecture == arm64") == std::vector<InstanceId>{4});
  CHECK(only("attribute:ecs.availability-zone in [us-east-1b] and attribute:ecs.instance-type != m6g.large") ==
        std::vector<InstanceId>{3});
  CHECK(only("attribute:ecs.instance-type !in ['c6i.large', \"m5.large\"]") == std::vector<InstanceId>{4});
  CHECK(only("attribute:ecs.availability-zone == us-east-1a && attribute:ecs.instance-type not_equals m5.large") ==
        std::vector<InstanceId>{2});

  // Placement: awsvpc tasks on the c6i.large only (2 ENI slots each): ids 2, 2, 3, 3, then the
  // constraint fails although ids 1 and 4 have room.
  const PlacementConstraint c6i[] = {PlacementConstraint::member_of("attribute:ecs.instance-type == c6i.large")};
  PlacementRequest r = task(256, 512);
  r.constraints = c6i;
  CHECK(place_n(c, 4, r) == std::vector<InstanceId>{2, 2, 3, 3});
  const PlacementFailure why = fail_one(c, r);
  CHECK(why.reason() == "memberOf");

  // Outside the supported subset: rejected, never silently misread.
  for (const char* bad : {"attribute:ecs.instance-type == t2.small or attribute:ecs.instance-type == t2.medium",
                          "attribute:ecs.instance-type == t2.small || attribute:ecs.instance-type == t2.medium",
                          "not(attribute:ecs.instance-type == m5.large)", "task:group == databases",
                          "attribute:stack == prod", "attribute:ecs.instance-type =~ m[56].*", "runningTasksCount == 1",
                          "attribute:ecs.instance-type exists", "attribute:ecs.instance-type in [m5.large",
                          "attribute:ecs.instance-type", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(PlacementConstraint::member_of(bad), std::invalid_argument);
  }
  CHECK(PlacementConstraint::parse("distinctInstance").type() == PlacementConstraint::Type::distinct_instance);
  CHECK(PlacementConstraint::parse("memberOf", "attribute:ecs.instance-type == m5.large").name() == "memberOf");
  CHECK_THROWS_AS(PlacementConstraint::parse("sameInstance"), std::invalid_argument);
}

TEST_CASE("ec2 placement: strategies parse from ECS placementStrategy items", "[ec2]") {
  CHECK(parse_placement_strategy("binpack", "memory") == PlacementStrategy::binpack_memory());
  CHECK(parse_placement_strategy("binpack", "cpu") == PlacementStrategy::binpack_cpu());
  CHECK(parse_placement_strategy("spread", "host") == PlacementStrategy::spread_instances());
  CHECK(parse_placement_strategy("spread", "attribute:ecs.availability-zone") == PlacementStrategy::spread_zones());
  CHECK(parse_placement_strategy("random") == PlacementStrategy::random());
  CHECK(describe(parse_placement_strategy("spread", "attribute:ecs.instance-type")) ==
        "spread(attribute:ecs.instance-type)");
  CHECK(describe(PlacementStrategy::binpack_memory()) == "binpack(memory)");
  CHECK_THROWS_AS(parse_placement_strategy("binpack", "instanceId"), std::invalid_argument);
  CHECK_THROWS_AS(parse_placement_strategy("spread", "attribute:stack"), std::invalid_argument);
  CHECK_THROWS_AS(parse_placement_strategy("random", "cpu"), std::invalid_argument);
  CHECK_THROWS_AS(parse_placement_strategy("firstFit"), std::invalid_argument);

  // A malformed strategy built by hand is rejected at placement.
  Cluster c;
  c.add_instance("m5.large", "a");
  const PlacementStrategy bad[] = {{PlacementStrategy::Type::binpack, PlacementStrategy::Field::instance_id}};
  PlacementRequest r = task(256, 512);
  r.strategies = bad;
  CHECK_THROWS_AS(c.place(r), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping

TEST_CASE("ec2 placement: commit and release restore an instance; instances with tasks cannot be removed", "[ec2]") {
  Cluster c;
  const InstanceId a = c.add_instance("m5.large", "us-east-1a");
  const InstanceId b = c.add_instance("m6g.large", "us-east-1b");
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK_THROWS_AS(c.add_instance("m9.huge", "us-east-1a"), std::invalid_argument);
  CHECK_THROWS_AS(c.add_instance("m5.large", ""), std::invalid_argument);

  const PlacementRequest r = task(512, 1024, NetworkMode::awsvpc, 3);
  const TaskReservation t = c.commit(a, r);
  CHECK(c.instance(a).remaining_cpu_units == 1536);   // 2048 - 512
  CHECK(c.instance(a).remaining_memory_mib == 7168);  // 8192 - 1024
  CHECK(c.instance(a).enis_in_use == 1);
  CHECK(c.instance(a).tasks == 1);
  CHECK(c.instance(a).tasks_of(3) == 1);
  CHECK(c.tasks_in_az(3, "us-east-1a") == 1);
  CHECK_THROWS_AS(c.remove_instance(a), std::logic_error);

  c.release(t);
  CHECK(c.instance(a).remaining_cpu_units == 2048);
  CHECK(c.instance(a).remaining_memory_mib == 8192);
  CHECK(c.instance(a).enis_in_use == 0);
  CHECK(c.instance(a).tasks == 0);
  CHECK(c.tasks_of(3) == 0);
  CHECK_THROWS_AS(c.release(t), std::logic_error);  // released twice

  c.remove_instance(a);
  CHECK_FALSE(c.contains(a));
  CHECK_THROWS_AS(c.instance(a), std::out_of_range);
  CHECK(c.place(r) == b);                             // only the m6g.large is left
  CHECK(c.add_instance("m5.large", "us-east-1a") == 3);  // ids are never reused

  CHECK_THROWS_AS(c.commit(b, task(4096, 512)), std::logic_error);  // 4096 > 2048 units

  CHECK_FALSE(c.has_image(b, "public.ecr.aws/nginx/nginx:1.27"));
  c.cache_image(b, "public.ecr.aws/nginx/nginx:1.27");
  c.cache_image(b, "public.ecr.aws/nginx/nginx:1.27");
  CHECK(c.has_image(b, "public.ecr.aws/nginx/nginx:1.27"));
  CHECK(c.instance(b).images.size() == 1);
  CHECK_FALSE(c.has_image(3, "public.ecr.aws/nginx/nginx:1.27"));
}
