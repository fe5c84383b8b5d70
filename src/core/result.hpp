#pragma once
// Result<T>: a value or the diagnostics that explain why there is none. For functions that
// fail for ordinary reasons (a bad file, a bad value); what must stop the run throws Error.

#include <cassert>
#include <utility>
#include <variant>

#include "core/diagnostic.hpp"

namespace stackshift {

struct Failure {
    Diagnostics diagnostics;
};

template <class T>
class Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Failure failure) : m_state(std::in_place_index<1>, std::move(failure)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_state); }
    const T& value() const& { assert(ok()); return std::get<0>(m_state); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Diagnostics& diagnostics() const { assert(!ok()); return std::get<1>(m_state).diagnostics; }
    Failure failure() && { assert(!ok()); return std::get<1>(std::move(m_state)); }

private:
    std::variant<T, Failure> m_state;
};

inline Failure fail(std::string file, Position position, std::string message) {
    return Failure{{Diagnostic{std::move(file), position, std::move(message)}}};
}

}  // namespace stackshift
