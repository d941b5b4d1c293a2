// A Lambda function's provisioned concurrency as an Application Auto Scaling scalable target
// (ServiceNamespace "lambda", ResourceId "function:<name>:<alias>", ScalableDimension
// "lambda:function:ProvisionedConcurrency"; AAS user guide, "AWS Lambda and Application Auto
// Scaling"). Setting the desired capacity is PutProvisionedConcurrencyConfig on the alias: the
// function allocates or removes environments towards it (lambda_function.hpp).
//  * desired_capacity(): the configured level (RequestedProvisionedConcurrentExecutions);
//  * current_capacity(): PC environments READY (AvailableProvisionedConcurrentExecutions);
//    it lags a raise by the allocation delay plus Init, and drops at once on a lowering.
#pragma once

#include <string>

#include "platforms/lambda/lambda_function.hpp"
#include "scaling/scalable_target.hpp"

namespace fargatelab::detail {

class LambdaProvisionedConcurrencyTarget final : public ScalableTarget {
 public:
  LambdaProvisionedConcurrencyTarget(LambdaFunction& function, std::string function_name, std::string alias);

  std::string resource_id() const override { return "function:" + name_ + ":" + alias_; }
  std::string scalable_dimension() const override { return "lambda:function:ProvisionedConcurrency"; }
  int desired_capacity() const override { return function_.provisioned_configured(); }
  int current_capacity() const override { return function_.provisioned_ready(); }

 protected:
  void apply_desired(int n) override { function_.set_provisioned(n); }

 private:
  LambdaFunction& function_;
  std::string name_, alias_;
};

}  // namespace fargatelab::detail
