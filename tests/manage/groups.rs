use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::slug::Slug;
use sitewatch::manage::group::{self, GroupChange, NewGroup};
use sitewatch::manage::site::{self, NewSite};

use super::{conn, refused_field};
use crate::both_backends;

fn named(name: &str) -> NewGroup {
    NewGroup::named(Name::parse(name).unwrap())
}

both_backends! {
    fn names_are_unique_ignoring_case_and_slugs_are_checked(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        let web = group::add(&mut c, &named("Web")).unwrap();
        assert_eq!(web.slug, "web");
        assert_eq!(refused_field(group::add(&mut c, &named("WEB"))), "conflict:name");
        let taken = NewGroup { slug: Some(Slug::parse("web").unwrap()), ..named("Other") };
        assert_eq!(refused_field(group::add(&mut c, &taken)), "conflict:slug");
        group::add(&mut c, &named("Shop")).unwrap();
        let rename = GroupChange { name: Some(Name::parse("shop").unwrap()), ..GroupChange::default() };
        assert_eq!(refused_field(group::change(&mut c, "web", &rename)), "conflict:name");
    }

    fn a_change_keeps_what_is_not_given_and_may_move_the_slug(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        group::add(&mut c, &NewGroup { display_order: 4, ..named("Web") }).unwrap();
        let change = GroupChange { slug: Some(Slug::parse("www").unwrap()), ..GroupChange::default() };
        let changed = group::change(&mut c, "web", &change).unwrap();
        assert_eq!((changed.name.as_str(), changed.slug.as_str(), changed.display_order), ("Web", "www", 4));
    }

    fn only_an_empty_group_is_removed(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        group::add(&mut c, &named("Web")).unwrap();
        site::add(&mut c, &NewSite { group: Some("web".into()), ..NewSite::at(SiteUrl::parse("https://a.example/").unwrap()) }).unwrap();
        assert_eq!(refused_field(group::remove(&mut c, "web")), "conflict:");
        site::remove(&mut c, "a-example").unwrap();
        assert_eq!(group::remove(&mut c, "web").unwrap().slug, "web");
        assert_eq!(refused_field(group::remove(&mut c, "web")), "not found");
    }
}
