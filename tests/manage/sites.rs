use sitewatch::db::models::group::Group;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::slug::Slug;
use sitewatch::manage::group::{self, NewGroup};
use sitewatch::manage::input::Input;
use sitewatch::manage::site::{self, NewSite, SiteChange, SiteFields};

use super::{conn, count_sites, refused_field};
use crate::both_backends;
use crate::harness::snapshot;

fn at(url: &str) -> NewSite {
    NewSite::at(SiteUrl::parse(url).unwrap())
}

both_backends! {
    fn a_new_site_takes_its_host_as_name_and_goes_to_default_made_on_demand(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        let (site, group) = site::add(&mut c, &at("https://shop.example.com/")).unwrap();
        assert_eq!((site.name.as_str(), site.slug.as_str(), group.slug.as_str()), ("shop.example.com", "shop-example-com", "default"));
        let (again, _) = site::add(&mut c, &NewSite { name: Some(Name::parse("shop.example.com").unwrap()), ..at("https://shop.example.com/other") }).unwrap();
        assert_eq!(again.slug, "shop-example-com-2", "equal names get numbered slugs");
    }

    fn duplicates_are_refused_naming_the_field_and_change_nothing(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        site::add(&mut c, &NewSite { slug: Some(Slug::parse("shop").unwrap()), ..at("https://shop.example.com/") }).unwrap();
        let before = snapshot(db);
        assert_eq!(refused_field(site::add(&mut c, &at("https://shop.example.com/"))), "conflict:url");
        let taken = NewSite { slug: Some(Slug::parse("shop").unwrap()), ..at("https://other.example.com/") };
        assert_eq!(refused_field(site::add(&mut c, &taken)), "conflict:slug");
        let lost = NewSite { group: Some("nope".into()), ..at("https://lost.example.com/") };
        assert_eq!(refused_field(site::add(&mut c, &lost)), "group");
        assert_eq!(refused_field(site::remove(&mut c, "nope")), "not found");
        assert_eq!(snapshot(db), before, "a refused change leaves nothing behind");
    }

    fn a_group_is_found_by_slug_or_by_name(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        group::add(&mut c, &NewGroup::named(Name::parse("Local test").unwrap())).unwrap();
        let (_, by_name) = site::add(&mut c, &NewSite { group: Some("local test".into()), ..at("https://a.example/") }).unwrap();
        let (_, by_slug) = site::add(&mut c, &NewSite { group: Some("local-test".into()), ..at("https://b.example/") }).unwrap();
        assert_eq!((by_name.slug.as_str(), by_slug.slug.as_str()), ("local-test", "local-test"));
    }

    fn a_change_moves_renames_pauses_and_clears_the_interval(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        group::add(&mut c, &NewGroup::named(Name::parse("Web").unwrap())).unwrap();
        let (site, _) = site::add(&mut c, &NewSite { interval_secs: Some(300), ..at("https://a.example/") }).unwrap();
        let change = SiteChange::try_from(SiteFields {
            name: Some("Alpha".into()),
            group: Some("web".into()),
            interval_secs: Input::Null,
            active: Some(false),
            ..SiteFields::default()
        })
        .unwrap();
        let (changed, group) = site::change(&mut c, &site.slug, &change).unwrap();
        assert_eq!((changed.name.as_str(), group.slug.as_str(), changed.interval_secs, changed.active), ("Alpha", "web", None, false));
        assert_eq!(changed.slug, site.slug, "the slug stays");
        let resumed = site::set_active(&mut c, &site.slug, true).unwrap();
        assert!(resumed.active);
    }

    fn removing_the_last_site_of_default_removes_the_empty_default_group(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        let (a, _) = site::add(&mut c, &at("https://a.example/")).unwrap();
        let (b, _) = site::add(&mut c, &at("https://b.example/")).unwrap();
        site::remove(&mut c, &a.slug).unwrap();
        assert!(Group::find_by_slug(&mut c, "default").unwrap().is_some(), "it still holds a site");
        site::remove(&mut c, &b.slug).unwrap();
        assert!(Group::find_by_slug(&mut c, "default").unwrap().is_none());
        assert_eq!(count_sites(&mut c), 0);
    }
}
