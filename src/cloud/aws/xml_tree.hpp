#pragma once
// A small XML tree for the answers of AWS's query-protocol services (CloudFormation, EC2, Auto
// Scaling, RDS): elements by their local name (namespace dropped, as every answer declares its
// service's), their text and their child elements. Read with libxml2, which only xml_tree.cpp
// includes; no entity is expanded and nothing is fetched from the network.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::cloud::aws {

class XmlElement {
public:
    std::string name;  // the local name: "StackStatus", never "cfn:StackStatus"
    std::string text;  // the element's own text and CDATA, entities decoded; children's text not included
    std::vector<XmlElement> elements;

    // The first child element named `child_name`; nullptr when there is none.
    const XmlElement* child(std::string_view child_name) const;
    // Every child element named `child_name`, in document order ("member" items of a list).
    std::vector<const XmlElement*> children(std::string_view child_name) const;
    // The element reached by child names separated by '/' ("DescribeStacksResult/Stacks"), the
    // first of each name; nullptr when one step is missing.
    const XmlElement* path(std::string_view slash_path) const;
    // The text of the child element `child_name`; empty when it is missing, as AWS leaves out
    // an optional member rather than sending it empty.
    std::string child_text(std::string_view child_name) const;
};

// A document libxml2 could not read: what it said, with the line.
class XmlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The root element of `document`; throws XmlError when it is not well-formed XML.
XmlElement parse_xml(std::string_view document);

}  // namespace stackshift::cloud::aws
