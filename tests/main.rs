//! Integration tests: the real binaries against a real SQLite file and a real PostgreSQL.

mod harness;

mod check;
mod cli;
mod console;
mod db;
mod history;
mod manage;
mod notify;
mod traffic;
mod web;
