// The CloudWatch metrics of one Lambda function (AWS/Lambda), computed as the Lambda developer
// guide defines them ("Monitoring concurrency" and "Types of metrics for Lambda functions"; the
// granularity of each is 1 minute). They read the function (lambda_function.hpp) and never
// change it.
//
//  * ConcurrentExecutions {FunctionName}, Maximum: "the number of active concurrent
//    invocations at a given point in time ... View this metric using MAX": the largest number
//    of invocations in flight (in an environment or waiting for its Init) during the period.
//  * Invocations {FunctionName}, Sum: invocations that arrived in the period (throttled ones
//    included, as Lambda counts the request). "View this metric using SUM".
//  * ProvisionedConcurrentExecutions {FunctionName, Resource}, Maximum: "the number of
//    execution environment instances that are actively processing an invocation on
//    provisioned concurrency", for the alias with PC. MAX.
//  * ProvisionedConcurrencyUtilization {FunctionName, Resource}, Maximum: "the value of
//    ProvisionedConcurrentExecutions divided by the total amount of provisioned concurrency
//    allocated" (a fraction 0..1); the maximum over the period of PC busy / PC configured.
//    MAX.
// Lambda emits these metrics as it processes invocations: a period without any invocation has
// no datapoint (INSUFFICIENT_DATA for an alarm, so target tracking never scales PC in on an
// idle function; the AWS docs do not say it in words, it is what an alarm on an idle function
// shows). The PC metrics also need a configured level at some point in the period.
#pragma once

#include "platforms/lambda/lambda_function.hpp"
#include "scaling/cloudwatch.hpp"

namespace fargatelab::detail {

// Adds the four metrics above for `function` (the service `name`), 60 s periods.
void publish_lambda_metrics(CloudWatch& cw, LambdaFunction& function, const std::string& name);

}  // namespace fargatelab::detail
