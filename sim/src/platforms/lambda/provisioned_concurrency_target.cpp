#include "platforms/lambda/provisioned_concurrency_target.hpp"

#include <utility>

namespace fargatelab::detail {

LambdaProvisionedConcurrencyTarget::LambdaProvisionedConcurrencyTarget(LambdaFunction& function, std::string function_name,
                                                                       std::string alias)
    : function_(function), name_(std::move(function_name)), alias_(std::move(alias)) {}

}  // namespace fargatelab::detail
