//! Page numbers for every list, in pages and in JSON, with one policy for bad values:
//! `page` starts at 1 and `per_page` is 1 to 100; anything else answers 400 saying so.
//! A page past the end is not an error: it is empty, and `total` tells how far the list goes.

use serde::Deserialize;

use super::error::WebError;

pub const MAX_PER_PAGE: u32 = 100;

/// How many items a list shows when the query does not say.
pub const VIEWS_PER_PAGE: u32 = 10;
pub const OUTAGES_PER_PAGE: u32 = 25;
pub const SITES_PER_PAGE: u32 = 100;
pub const GROUPS_PER_PAGE: u32 = 100;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 100.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    pub fn parse(query: &PageQuery, default_per_page: u32) -> Result<Paging, WebError> {
        let page = match query.page {
            None => 1,
            Some(p) if (1..=1_000_000).contains(&p) => p as u32,
            Some(p) => return Err(WebError::BadRequest(format!("page must be a whole number from 1 (got {p})"))),
        };
        let per_page = match query.per_page {
            None => default_per_page,
            Some(n) if (1..=i64::from(MAX_PER_PAGE)).contains(&n) => n as u32,
            Some(n) => {
                return Err(WebError::BadRequest(format!("per_page must be from 1 to {MAX_PER_PAGE} (got {n})")));
            }
        };
        Ok(Paging { page, per_page })
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

/// The pagination partial's inputs: where we are and the links to the neighbours.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

impl Pager {
    /// `base` is the list's path, perhaps with a query of its own; links keep a non-default `per_page`.
    pub fn new(base: &str, paging: Paging, default_per_page: u32, total: i64) -> Pager {
        let pages = ((total.max(0) as u64).div_ceil(u64::from(paging.per_page))).max(1) as u32;
        let link = |page: u32| {
            let joiner = if base.contains('?') { '&' } else { '?' };
            let mut url = format!("{base}{joiner}page={page}");
            if paging.per_page != default_per_page {
                url.push_str(&format!("&per_page={}", paging.per_page));
            }
            url
        };
        Pager {
            page: paging.page,
            pages,
            total,
            prev: (paging.page > 1).then(|| link((paging.page - 1).min(pages))),
            next: (paging.page < pages).then(|| link(paging.page + 1)),
            last: (paging.page > pages).then(|| link(pages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_page_values_are_refused_and_past_the_end_links_back() {
        assert!(Paging::parse(&PageQuery { page: Some(0), per_page: None }, 10).is_err());
        assert!(Paging::parse(&PageQuery { page: None, per_page: Some(101) }, 10).is_err());
        assert!(Paging::parse(&PageQuery { page: None, per_page: Some(0) }, 10).is_err());
        let p = Paging::parse(&PageQuery { page: Some(3), per_page: Some(20) }, 10).unwrap();
        assert_eq!((p.offset(), p.limit()), (40, 20));
        let pager = Pager::new("/outages", Paging { page: 9, per_page: 25 }, 25, 30);
        assert_eq!(pager.pages, 2);
        assert_eq!(pager.last.as_deref(), Some("/outages?page=2"));
        assert_eq!(pager.next, None);
        assert_eq!(pager.prev.as_deref(), Some("/outages?page=2"));
    }
}
