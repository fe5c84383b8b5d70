// The simulator's typed results: each refusal the executor decides on carries its ErrorKind
// (not found, already exists, no changes, in progress) beside AWS's code and text, and a change
// set that changes nothing says so in ChangeSet::no_changes.

#include "cloud/read_only_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::CloudError;
using cloud::ErrorKind;
using cloud::ParameterInput;
using cloud::sim::SimCloud;
using Refusal = std::pair<std::string, ErrorKind>;

constexpr const char* topic_template = R"(
Parameters:
  Label:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Label
)";

SimCloud topic_cloud() {
    return SimCloud(cloud::sim::world_from_deployment(
        testing::one_stack_deployment("topic", "1-1-topic", {{"Label", "one"}}, topic_template), {}));
}

// The refusal `call` throws: its code and kind.
template <typename F>
std::pair<std::string, ErrorKind> refusal(F&& call) {
    try {
        call();
    } catch (const CloudError& e) {
        return {e.code(), e.kind()};
    }
    ADD_FAILURE() << "the call was not refused";
    return {"", ErrorKind::other};
}

cloud::ChangeSet settled(SimCloud& c, const std::string& name) {
    c.wait(5);
    return c.describe_change_set("topic", name);
}

TEST(SimErrorKinds, AStackOrChangeSetThatDoesNotExistIsNotFound) {
    SimCloud c = topic_cloud();
    EXPECT_EQ(refusal([&] { c.describe_stack("missing"); }), Refusal("ValidationError", ErrorKind::not_found));
    EXPECT_EQ(refusal([&] { c.describe_stack_resources("missing"); }), Refusal("ValidationError", ErrorKind::not_found));
    EXPECT_EQ(refusal([&] { c.describe_stack_events("missing", ""); }), Refusal("ValidationError", ErrorKind::not_found));
    EXPECT_EQ(refusal([&] { c.describe_change_set("topic", "none"); }), Refusal("ChangeSetNotFound", ErrorKind::not_found));
    EXPECT_EQ(refusal([&] { c.describe_instances({"i-0123456789abcdef0"}); }).second, ErrorKind::not_found);
}

TEST(SimErrorKinds, AChangeSetNameInUseAndAStackCreatedAgainAlreadyExist) {
    SimCloud c = topic_cloud();
    cloud::ChangeSetRequest request{"topic", "cs", cloud::ChangeSetType::update, "", true, {ParameterInput::set("Label", "two")}, ""};
    c.create_change_set(request);
    EXPECT_EQ(refusal([&] { c.create_change_set(request); }), Refusal("AlreadyExistsException", ErrorKind::already_exists));
    cloud::ChangeSetRequest create{"topic", "again", cloud::ChangeSetType::create, topic_template, false, {ParameterInput::set("Label", "x")}, ""};
    EXPECT_EQ(refusal([&] { c.create_change_set(create); }), Refusal("ValidationError", ErrorKind::already_exists));
}

TEST(SimErrorKinds, AnUpdateWithNothingToChangeIsNoChanges) {
    SimCloud c = topic_cloud();
    EXPECT_EQ(refusal([&] { c.update_stack({"topic", {ParameterInput::keep("Label")}}); }),
              Refusal("ValidationError", ErrorKind::no_changes));
    cloud::ChangeSetRequest same{"topic", "same", cloud::ChangeSetType::update, "", true, {ParameterInput::keep("Label")}, ""};
    c.create_change_set(same);
    cloud::ChangeSet empty = settled(c, "same");
    EXPECT_EQ(empty.status, "FAILED");
    EXPECT_TRUE(empty.no_changes);
    cloud::ChangeSetRequest changed{"topic", "changed", cloud::ChangeSetType::update, "", true, {ParameterInput::set("Label", "two")}, ""};
    c.create_change_set(changed);
    EXPECT_FALSE(settled(c, "changed").no_changes);
}

TEST(SimErrorKinds, AStackBusyWithAnUpdateIsInProgress) {
    SimCloud c = topic_cloud();
    c.update_stack({"topic", {ParameterInput::set("Label", "two")}});
    ASSERT_TRUE(c.describe_stack("topic").status.ends_with("_IN_PROGRESS"));
    EXPECT_EQ(refusal([&] { c.update_stack({"topic", {ParameterInput::set("Label", "three")}}); }),
              Refusal("ValidationError", ErrorKind::in_progress));
    EXPECT_EQ(refusal([&] { c.delete_stack("topic"); }), Refusal("ValidationError", ErrorKind::in_progress));
    EXPECT_EQ(testing::wait_stable(c, "topic"), "UPDATE_COMPLETE");
}

// The live deployment is read through ReadOnlyCloud: what the wrapped backend refused keeps its kind.
TEST(SimErrorKinds, ReadOnlyCloudPassesTheKindOn) {
    SimCloud c = topic_cloud();
    cloud::ReadOnlyCloud reading(c);
    EXPECT_EQ(refusal([&] { reading.describe_stack("missing"); }), Refusal("ValidationError", ErrorKind::not_found));
    EXPECT_EQ(refusal([&] { reading.describe_change_set("topic", "none"); }), Refusal("ChangeSetNotFound", ErrorKind::not_found));
}

TEST(SimErrorKinds, OtherRefusalsAreOther) {
    SimCloud c = topic_cloud();
    EXPECT_EQ(refusal([&] { c.update_stack({"topic", {ParameterInput::keep("Nope")}}); }).second, ErrorKind::other);
}

}  // namespace
}  // namespace stackshift
