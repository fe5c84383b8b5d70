// What changed between two plans of one deployment (render/plan_changes.hpp), from their JSON
// as plan_json writes it: the lines `apply --resume` prints when the inputs changed.

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "render/plan_changes.hpp"

namespace stackshift::render {
namespace {

// A plan of one hop with the steps given as JSON text.
std::string plan_of(const std::string& steps) {
    return R"({"from": "3.14.2", "to": "3.15.1", "hops": [{"from": "3.14.2", "to": "3.15.1", "steps": [)" + steps + "]}]}";
}

std::string update(const std::string& id, const std::string& parameters, const std::string& resources = "{}",
                   const std::string& stack = "acme-4-2a-configuration") {
    return R"({"id": ")" + id + R"(", "kind": "update-stack", "title": "Update", "stack": ")" + stack + R"(",
               "parameters": )" + parameters + R"(, "resources": )" + resources + "}";
}

TEST(PlanChanges, AValueChangedGivenAndNoLongerGiven) {
    std::string before = plan_of(update("h1-14-update-stack-4-2a-configuration",
                                        R"({"CryptoServerDNSName": {"action": "set", "value": "crypto.wrong.example"},
                                            "LogLevel": {"action": "needs-input"},
                                            "NetID": {"action": "set", "value": "000013"},
                                            "Secret": {"action": "keep", "noEcho": true}})"));
    std::string after = plan_of(update("h1-14-update-stack-4-2a-configuration",
                                       R"({"CryptoServerDNSName": {"action": "set", "value": "crypto.acme.example"},
                                           "LogLevel": {"action": "set", "value": "debug"},
                                           "NetID": {"action": "keep"},
                                           "Secret": {"action": "set", "noEcho": true, "valueGiven": true}})"));
    const std::string step = "update-stack acme-4-2a-configuration (h1-14-update-stack-4-2a-configuration): ";
    EXPECT_EQ(plan_changes(before, after), (std::vector<std::string>{
                                               step + "CryptoServerDNSName changed from 'crypto.wrong.example' to 'crypto.acme.example'",
                                               step + "LogLevel now given: 'debug'",
                                               step + "NetID no longer given (keep)",
                                               step + "Secret now given: a NoEcho value",
                                           }));
}

// A step added earlier renumbers the rest: steps are matched without their number, and only
// the why of a parameter that differs is no change.
TEST(PlanChanges, StepsAreMatchedWithoutTheirNumberAndProseIsNoChange) {
    std::string same = R"({"ClusterID": {"action": "carry", "value": "eu1", "why": "renamed"}})";
    std::string before = plan_of(update("h1-14-update-stack-4-2a-configuration", same));
    std::string after = plan_of(R"({"id": "h1-02-manual", "kind": "manual", "title": "Check the bastion"},)" +
                                update("h1-15-update-stack-4-2a-configuration",
                                       R"j({"ClusterID": {"action": "carry", "value": "eu1", "why": "renamed (3.15.0)"}})j"));
    EXPECT_EQ(plan_changes(before, after), (std::vector<std::string>{"step added: manual (h1-02-manual): Check the bastion"}));
    EXPECT_TRUE(plan_changes(before, before).empty());
}

TEST(PlanChanges, AnAcknowledgementAddedAndAStepGone) {
    std::string resources_before = R"({"Volume": {"type": "AWS::EC2::Volume", "impact": "will-replace", "stateful": true,
                                       "acknowledged": false}})";
    std::string resources_after = R"({"Volume": {"type": "AWS::EC2::Volume", "impact": "will-replace", "stateful": true,
                                      "acknowledged": true}})";
    std::string snapshot = R"({"id": "h1-09-snapshot-volume-2-5-db-timescale-Volume", "kind": "snapshot-volume",
                               "title": "Snapshot the volume", "stack": "acme-2-5-db-timescale"},)";
    std::string before = plan_of(snapshot + update("h1-11-update-stack-2-5-db-timescale", "{}", resources_before, "acme-2-5-db-timescale"));
    std::string after = plan_of(update("h1-10-update-stack-2-5-db-timescale", "{}", resources_after, "acme-2-5-db-timescale"));
    EXPECT_EQ(plan_changes(before, after),
              (std::vector<std::string>{
                  "update-stack acme-2-5-db-timescale (h1-10-update-stack-2-5-db-timescale): the loss of Volume is now "
                  "acknowledged (--allow-replace)",
                  "step gone: snapshot-volume acme-2-5-db-timescale (h1-09-snapshot-volume-2-5-db-timescale-Volume): "
                  "Snapshot the volume",
              }));
}

TEST(PlanChanges, ATextThatIsNoPlanIsBadInputNamingIt) {
    try {
        plan_changes("{\"hops\": 3}", plan_of(""), "journal.db.run-1.plan.json");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::bad_input);
        EXPECT_EQ(std::string(e.what()),
                  "journal.db.run-1.plan.json is not a plan in JSON (as 'stackshift plan --output json' writes it)");
    }
}

}  // namespace
}  // namespace stackshift::render
