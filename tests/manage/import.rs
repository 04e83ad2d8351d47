use sitewatch::db::models::site::Site;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::manage::import::{self, ImportFile, ImportOptions, Syntax};
use sitewatch::manage::site::{self, NewSite};

use super::{conn, count_sites, refused_field};
use crate::both_backends;
use crate::harness::snapshot;

both_backends! {
    fn many_sites_of_one_host_get_numbered_slugs_in_one_pass(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        site::add(&mut c, &NewSite::at(SiteUrl::parse("https://api.example.com/").unwrap())).unwrap();
        let file = ImportFile::of_sites((0..300).map(|i| NewSite::at(SiteUrl::parse(&format!("https://api.example.com/{i}")).unwrap())));
        let report = import::import(&mut c, &file, &ImportOptions::default()).unwrap();
        assert_eq!(report.added, 300);
        let mut slugs: Vec<String> = Site::all_with_groups(&mut c).unwrap().into_iter().map(|(s, _)| s.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 301, "every slug is distinct");
        assert!(slugs.contains(&"api-example-com-301".to_owned()), "numbered from 2 after the one already there");
    }

    fn a_bad_entry_refuses_the_whole_file_naming_the_entry(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        site::add(&mut c, &NewSite::at(SiteUrl::parse("https://taken.example.com/").unwrap())).unwrap();
        let before = snapshot(db);
        let text = "[[sites]]\nurl = \"https://new.example.com/\"\n[[sites]]\nurl = \"https://taken.example.com/\"\n";
        let file = import::read(Syntax::Toml, text).unwrap();
        let err = import::import(&mut c, &file, &ImportOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("sites entry 2:") && err.to_string().contains("--skip-existing"), "{err}");
        assert_eq!(snapshot(db), before);
        let skipped = import::import(&mut c, &file, &ImportOptions { skip_existing: true, ..ImportOptions::default() }).unwrap();
        assert_eq!((skipped.added, skipped.skipped.as_slice()), (1, ["taken-example-com".to_owned()].as_slice()));
        assert_eq!(count_sites(&mut c), 2);
    }

    fn odd_numbers_are_refused_not_stored_as_nothing(db) {
        for (syntax, text) in [
            (Syntax::Toml, "[[sites]]\nurl = \"https://a.example/\"\ninterval_secs = nan\n"),
            (Syntax::Toml, "[[sites]]\nurl = \"https://a.example/\"\ninterval_secs = inf\n"),
            (Syntax::Yaml, "sites:\n  - url: https://a.example/\n    interval_secs: -.inf\n"),
            (Syntax::Toml, "[[sites]]\nurl = \"https://a.example/\"\ninterval_secs = 1.5\n"),
            (Syntax::Json, "{\"sites\": [{\"url\": \"https://a.example/\", \"interval_secs\": 1e300}]}"),
        ] {
            assert_eq!(refused_field(import::read(syntax, text)), "file", "{text}");
        }
        let handle = db.open();
        assert_eq!(count_sites(&mut conn(&handle)), 0);
    }

    fn entries_naming_a_missing_group_create_it_once(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        let text = "[[sites]]\nurl = \"https://a.example/\"\ngroup = \"Edge\"\n[[sites]]\nurl = \"https://b.example/\"\ngroup = \"edge\"\n";
        let report = import::import(&mut c, &import::read(Syntax::Toml, text).unwrap(), &ImportOptions::default()).unwrap();
        assert_eq!((report.added, report.groups_created.as_slice()), (2, ["edge".to_owned()].as_slice()));
    }
}
