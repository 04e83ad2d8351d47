use sitewatch::db::models::recipient::Recipient;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::manage::recipient::{self, NewRecipient, RecipientFields, ScopeRef};
use sitewatch::manage::site::{self, NewSite};
use sitewatch::manage::token::{self, NewToken, TokenFields};
use sitewatch::manage::user::{self, NewUser, UserFields};

use super::{conn, refused_field};
use crate::both_backends;

fn new_user(name: &str) -> NewUser {
    NewUser::try_from(UserFields {
        username: Some(name.into()),
        password: Some("correct horse".into()),
        password_again: Some("correct horse".into()),
    })
    .unwrap()
}

fn recipient(address: &str, scope: ScopeRef) -> NewRecipient {
    NewRecipient::try_from(RecipientFields { address: Some(address.into()), scope }).unwrap()
}

both_backends! {
    fn users_are_unique_and_the_last_one_stays(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        user::add(&mut c, &new_user("alice")).unwrap();
        assert_eq!(refused_field(user::add(&mut c, &new_user("alice"))), "conflict:username");
        assert_eq!(refused_field(user::remove(&mut c, "alice")), "conflict:");
        user::add(&mut c, &new_user("bob")).unwrap();
        assert_eq!(user::remove(&mut c, "alice").unwrap().username, "alice");
        assert_eq!(refused_field(user::remove(&mut c, "alice")), "not found");
    }

    fn tokens_belong_to_an_existing_user(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        user::add(&mut c, &new_user("alice")).unwrap();
        let issued = token::add(&mut c, &NewToken::try_from(TokenFields { user: Some("alice".into()), label: Some("ci".into()) }).unwrap()).unwrap();
        assert!(issued.secret.starts_with("swt_"));
        assert_eq!((issued.owner.username.as_str(), issued.token.label.as_str()), ("alice", "ci"));
        let nobody = NewToken::try_from(TokenFields { user: Some("nobody".into()), label: None }).unwrap();
        assert_eq!(refused_field(token::add(&mut c, &nobody)), "user");
        let long = TokenFields { user: Some("alice".into()), label: Some("l".repeat(101)) };
        assert!(matches!(NewToken::try_from(long), Err(sitewatch::manage::ManageError::Invalid(e)) if e.first_field() == Some("label")));
    }

    fn recipients_are_unique_per_scope_ignoring_case(db) {
        let handle = db.open();
        let mut c = conn(&handle);
        site::add(&mut c, &NewSite::at(SiteUrl::parse("https://shop.example.com/").unwrap())).unwrap();
        let added = recipient::add(&mut c, &recipient("ops@example.com", ScopeRef::Site("shop-example-com".into()))).unwrap();
        assert_eq!(added.scope, "site `shop-example-com`");
        assert_eq!(refused_field(recipient::add(&mut c, &recipient("OPS@example.com", ScopeRef::Site("shop-example-com".into())))), "conflict:address");
        recipient::add(&mut c, &recipient("ops@example.com", ScopeRef::All)).unwrap();
        recipient::add(&mut c, &recipient("ops@example.com", ScopeRef::Group("Default".into()))).unwrap();
        assert_eq!(refused_field(recipient::add(&mut c, &recipient("a@example.com", ScopeRef::Site("nope".into())))), "site");
        assert_eq!(refused_field(recipient::add(&mut c, &recipient("a@example.com", ScopeRef::Group("nope".into())))), "group");
        assert_eq!(Recipient::listing(&mut c).unwrap().len(), 3);
        let bad = NewRecipient::try_from(RecipientFields { address: Some("nope".into()), scope: ScopeRef::All });
        assert!(matches!(bad, Err(sitewatch::manage::ManageError::Invalid(e)) if e.first_field() == Some("address")));
    }
}
