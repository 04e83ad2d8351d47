//! Figures that cost a database pass to compute (the dashboard's picture, availability per
//! window), built by one task at a time and shared.
//!
//! While one task builds, the others take the previous copy, or wait for the builder when there
//! is none yet; so a crowd arriving at a cold or outdated cache costs one computation, not one
//! each, and never more than one pool connection.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A built value, what it was built for, and when.
pub struct Copy<K, T> {
    pub key: K,
    pub built: Instant,
    pub value: Arc<T>,
}

impl<K: Clone, T> Clone for Copy<K, T> {
    fn clone(&self) -> Self {
        Copy { key: self.key.clone(), built: self.built, value: Arc::clone(&self.value) }
    }
}

pub struct SingleFlight<K, T> {
    slot: Mutex<Option<Copy<K, T>>>,
    gate: tokio::sync::Mutex<()>,
}

impl<K, T> Default for SingleFlight<K, T> {
    fn default() -> Self {
        SingleFlight { slot: Mutex::new(None), gate: tokio::sync::Mutex::new(()) }
    }
}

impl<K: Clone + PartialEq, T> SingleFlight<K, T> {
    /// The newest copy, whatever it was built for.
    pub fn current(&self) -> Option<Copy<K, T>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// True when there is no copy for `key`, or it is older than `max_age`.
    pub fn needs_refresh(&self, key: &K, max_age: Duration) -> bool {
        self.current().is_none_or(|c| c.key != *key || c.built.elapsed() >= max_age)
    }

    fn store(&self, key: K, value: Arc<T>) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(Copy { key, built: Instant::now(), value });
    }

    /// The copy built for `key`, building it if there is none. While another task builds, this
    /// one takes the previous copy if there is one, and waits for the builder if there is not.
    pub async fn get<E, F, Fut>(&self, key: K, build: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut build = Some(build);
        loop {
            if let Some(copy) = self.current().filter(|c| c.key == key) {
                return Ok(copy.value);
            }
            match self.gate.try_lock() {
                Ok(_building) => {
                    if let Some(copy) = self.current().filter(|c| c.key == key) {
                        return Ok(copy.value);
                    }
                    let build = build.take().expect("a task builds at most once");
                    let value = Arc::new(build().await?);
                    self.store(key, Arc::clone(&value));
                    return Ok(value);
                }
                Err(_) => match self.current() {
                    Some(previous) => return Ok(previous.value),
                    // Nothing to show yet: wait for the builder, then look again (it may
                    // have failed, in which case this task tries once itself).
                    None => drop(self.gate.lock().await),
                },
            }
        }
    }

    /// Any copy there is, however old; only when there is none is one built (or waited for).
    pub async fn any<E, F, Fut>(&self, key: K, build: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        match self.current() {
            Some(copy) => Ok(copy.value),
            None => self.get(key, build).await,
        }
    }

    /// Builds a new copy for `key` now, unless another task is already building one.
    pub async fn refresh<E, F, Fut>(&self, key: K, build: F) -> Result<(), E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let Ok(_building) = self.gate.try_lock() else { return Ok(()) };
        let value = Arc::new(build().await?);
        self.store(key, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_crowd_at_a_cold_cache_costs_one_build() {
        let cache: Arc<SingleFlight<u32, u32>> = Arc::default();
        let builds = Arc::new(AtomicUsize::new(0));
        let (release, wait) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, builds, mut wait) = (Arc::clone(&cache), Arc::clone(&builds), wait.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(1, || async move {
                        builds.fetch_add(1, Ordering::SeqCst);
                        let _ = wait.wait_for(|go| *go).await;
                        Ok::<_, ()>(7)
                    })
                    .await
            }));
        }
        tokio::task::yield_now().await;
        release.send(true).unwrap();
        for task in tasks {
            assert_eq!(*task.await.unwrap().unwrap(), 7);
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn while_one_builds_a_new_key_the_others_get_the_previous_copy() {
        let cache: SingleFlight<u32, &str> = SingleFlight::default();
        cache.get(1, || async { Ok::<_, ()>("old") }).await.unwrap();
        let building = cache.gate.try_lock().unwrap();
        let got = cache.get(2, || async { Ok::<_, ()>("new") }).await.unwrap();
        assert_eq!(*got, "old", "a copy for another key is better than a wait");
        drop(building);
        assert_eq!(*cache.get(2, || async { Ok::<_, ()>("new") }).await.unwrap(), "new");
        assert!(!cache.needs_refresh(&2, Duration::from_secs(60)));
        assert!(cache.needs_refresh(&3, Duration::from_secs(60)));
    }

    #[tokio::test]
    async fn a_failed_build_leaves_the_next_caller_to_try_again() {
        let cache: SingleFlight<u32, u32> = SingleFlight::default();
        assert!(cache.get(1, || async { Err::<u32, _>("down") }).await.is_err());
        assert_eq!(*cache.get(1, || async { Ok::<_, &str>(3) }).await.unwrap(), 3);
    }
}
