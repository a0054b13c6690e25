//! Driver importance: reference values (R relaimpo 2.2-7), invariants and bad input.
