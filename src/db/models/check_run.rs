//! Check runs: when each round ran and what it saw, so the app can tell when cron has stopped.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::check_runs;
use crate::db::{DbConnection, Id};

/// How a round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Running,
    Done,
    Offline,
    Failed,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Offline => "offline",
            RunState::Failed => "failed",
        }
    }

    pub fn parse(word: &str) -> Option<RunState> {
        [RunState::Running, RunState::Done, RunState::Offline, RunState::Failed]
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = check_runs)]
pub struct CheckRun {
    pub id: Id,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub state: String,
    pub sites_checked: i32,
    pub sites_up: i32,
    pub sites_down: i32,
    pub outages_opened: i32,
    pub outages_resolved: i32,
    pub db_write_ms: Option<i32>,
    pub host: String,
    pub message: Option<String>,
}

/// The figures of a finished round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub sites_checked: i32,
    pub sites_up: i32,
    pub sites_down: i32,
    pub outages_opened: i32,
    pub outages_resolved: i32,
    pub db_write_ms: Option<i32>,
}

#[derive(AsChangeset)]
#[diesel(table_name = check_runs)]
struct Finish<'a> {
    finished_at: NaiveDateTime,
    state: &'a str,
    sites_checked: i32,
    sites_up: i32,
    sites_down: i32,
    outages_opened: i32,
    outages_resolved: i32,
    db_write_ms: Option<i32>,
    message: Option<&'a str>,
}

impl CheckRun {
    pub fn state(&self) -> RunState {
        RunState::parse(&self.state).unwrap_or(RunState::Failed)
    }

    /// A new run row in state `running`.
    pub fn new(started_at: NaiveDateTime, host: &str) -> CheckRun {
        CheckRun {
            id: Id::new(),
            started_at,
            finished_at: None,
            state: RunState::Running.as_str().to_owned(),
            sites_checked: 0,
            sites_up: 0,
            sites_down: 0,
            outages_opened: 0,
            outages_resolved: 0,
            db_write_ms: None,
            host: host.to_owned(),
            message: None,
        }
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(check_runs::table).values(self).execute(conn)
    }

    /// Records how the round ended.
    pub fn finish(
        conn: &mut DbConnection,
        id: Id,
        at: NaiveDateTime,
        state: RunState,
        counts: &RunCounts,
        message: Option<&str>,
    ) -> QueryResult<usize> {
        let finish = Finish {
            finished_at: at,
            state: state.as_str(),
            sites_checked: counts.sites_checked,
            sites_up: counts.sites_up,
            sites_down: counts.sites_down,
            outages_opened: counts.outages_opened,
            outages_resolved: counts.outages_resolved,
            db_write_ms: counts.db_write_ms,
            message,
        };
        diesel::update(check_runs::table.find(id)).set(&finish).execute(conn)
    }

    /// Marks rounds still `running` as failed: only a round holding the run lock may call this,
    /// so any such row belongs to a process that died mid-round.
    pub fn fail_interrupted(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(check_runs::table.filter(check_runs::state.eq(RunState::Running.as_str())))
            .set((
                check_runs::state.eq(RunState::Failed.as_str()),
                check_runs::finished_at.eq(at),
                check_runs::message.eq("interrupted: the checker stopped before the round was recorded"),
            ))
            .execute(conn)
    }

    /// The newest finished round (done or offline), for "last round 2 minutes ago".
    pub fn latest_finished(conn: &mut DbConnection) -> QueryResult<Option<CheckRun>> {
        check_runs::table
            .filter(check_runs::finished_at.is_not_null())
            .order(check_runs::started_at.desc())
            .select(CheckRun::as_select())
            .first(conn)
            .optional()
    }
}
