use super::{add_user, client, csrf, form_token, sign_in, spawn, text};
use crate::both_backends;

both_backends! {
    fn admin_creates_edits_pauses_and_deletes_with_errors_beside_fields(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let c = client();
        sign_in(&app, &c, "alice");
        let post = |path: &str, fields: &[(&str, &str)]| {
            let token = form_token(&app, &c, path);
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
            form.extend_from_slice(fields);
            c.post(app.url(path)).form(&form).send().unwrap()
        };

        // Group: a bad value comes back beside its field, with what was typed.
        let r = post("/admin/groups/new", &[("name", "Web"), ("slug", "Not A Slug"), ("display_order", "x")]);
        assert_eq!(r.status(), 422);
        let page = text(r);
        assert!(page.contains("class=\"field-error\">a slug may hold only"), "{page}");
        assert!(page.contains("is not a whole number"));
        assert!(page.contains("value=\"Web\""), "typed values are kept");
        let r = post("/admin/groups/new", &[("name", "Web"), ("description", "Public sites")]);
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/admin/groups");
        let list = text(c.get(app.url("/admin/groups")).send().unwrap());
        assert!(list.contains("Added group Web") && list.contains("/admin/groups/web/edit"), "{list}");
        let r = post("/admin/groups/new", &[("name", "web")]);
        assert_eq!(r.status(), 422, "duplicate names are refused beside the field");
        assert!(text(r).contains("already exists"));
        assert_eq!(post("/admin/groups/web/edit", &[("name", "Web sites"), ("slug", "web"), ("display_order", "2")]).status(), 303);
        assert!(text(c.get(app.url("/admin/groups")).send().unwrap()).contains("Web sites"));

        // Site: same validation as the CLI.
        let r = post("/admin/sites/new", &[("url", "not a url"), ("group", "web"), ("interval_secs", "0")]);
        assert_eq!(r.status(), 422);
        let page = text(r);
        assert!(page.contains("is not a URL") && page.contains("a check interval is"), "{page}");
        assert_eq!(post("/admin/sites/new", &[("url", "https://shop.example.com/"), ("name", "Shop"), ("group", "web"), ("interval_secs", "60")]).status(), 303);
        let r = post("/admin/sites/new", &[("url", "https://shop.example.com/"), ("group", "web")]);
        assert_eq!(r.status(), 422);
        assert!(text(r).contains("already watched"));
        let edit = text(c.get(app.url("/admin/sites/shop/edit")).send().unwrap());
        assert!(edit.contains("value=\"https://shop.example.com/\"") && edit.contains("value=\"60\""));
        let r = post("/admin/sites/shop/edit", &[("url", "https://shop.example.com/v2"), ("name", "Shop v2"), ("group", "web"), ("interval_secs", "")]);
        assert_eq!(r.status(), 303, "{}", text(r));
        let site: serde_json::Value = c.get(app.url("/api/sites/shop")).send().unwrap().json().unwrap();
        assert_eq!((site["name"].as_str(), site["url"].as_str()), (Some("Shop v2"), Some("https://shop.example.com/v2")));
        assert!(site["interval_secs"].is_null());

        let sites_page = text(c.get(app.url("/admin/sites")).send().unwrap());
        let token = csrf(&sites_page);
        assert_eq!(c.post(app.url("/admin/sites/shop/pause")).form(&[("csrf_token", token.as_str())]).send().unwrap().status(), 303);
        let site: serde_json::Value = c.get(app.url("/api/sites/shop")).send().unwrap().json().unwrap();
        assert_eq!(site["status"], "paused");
        assert!(text(c.get(app.url("/")).send().unwrap()).contains("Paused"), "the dashboard follows admin changes at once");
        let token = form_token(&app, &c, "/admin/sites");
        assert_eq!(c.post(app.url("/admin/sites/shop/resume")).form(&[("csrf_token", token.as_str())]).send().unwrap().status(), 303);

        // A group with sites cannot go; the confirmation page says so first.
        let confirm = text(c.get(app.url("/admin/groups/web/delete")).send().unwrap());
        assert!(confirm.contains("Yes, delete") && confirm.contains("still holds 1 site"), "{confirm}");
        assert_eq!(post("/admin/groups/web/delete", &[]).status(), 409);

        // Recipients.
        let r = post("/admin/recipients/new", &[("address", "nope"), ("scope", "site:shop")]);
        assert_eq!(r.status(), 422);
        assert_eq!(post("/admin/recipients/new", &[("address", "ops@example.com"), ("scope", "group:web")]).status(), 303);
        let list = text(c.get(app.url("/admin/recipients")).send().unwrap());
        assert!(list.contains("ops@example.com") && list.contains("group web"), "{list}");
        let delete_link = list.split("href=\"/admin/recipients/").find(|s| s.contains("/delete")).unwrap().split('"').next().unwrap().to_owned();
        assert_eq!(post(&format!("/admin/recipients/{delete_link}"), &[]).status(), 303);
        assert!(!text(c.get(app.url("/admin/recipients")).send().unwrap()).contains("ops@example.com"));

        // Users and tokens.
        let r = post("/admin/users/new", &[("username", "bob"), ("password", "short"), ("password_again", "short")]);
        assert_eq!(r.status(), 422);
        assert!(text(r).contains("at least 8 characters"));
        assert_eq!(post("/admin/users/new", &[("username", "bob"), ("password", "bob's password"), ("password_again", "bob's password")]).status(), 303);
        let r = post("/admin/tokens/new", &[("user", "bob"), ("label", "deploy")]);
        assert_eq!(r.status(), 201);
        let shown = text(r);
        let secret = shown.split("id=\"token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        assert!(secret.starts_with("swt_"));
        let api = crate::web::plain_client();
        assert_eq!(api.get(app.url("/api/groups")).bearer_auth(&secret).send().unwrap().status(), 200);
        let tokens = text(c.get(app.url("/admin/tokens")).send().unwrap());
        let revoke = tokens.split("href=\"/admin/tokens/").find(|s| s.starts_with(|c: char| c.is_ascii_hexdigit()) && s.contains("/delete")).unwrap().split('"').next().unwrap().to_owned();
        assert!(text(c.get(app.url(&format!("/admin/tokens/{revoke}"))).send().unwrap()).contains("Revoke"));
        assert_eq!(post(&format!("/admin/tokens/{revoke}"), &[]).status(), 303);
        assert_eq!(api.get(app.url("/api/groups")).bearer_auth(&secret).send().unwrap().status(), 401, "revoked at once");

        let users = text(c.get(app.url("/admin/users")).send().unwrap());
        let bob = users.split("<tr><td data-label=\"User\">bob</td>").nth(1).unwrap().split("href=\"/admin/users/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        assert_eq!(post(&format!("/admin/users/{bob}/password"), &[("password", "a new password"), ("password_again", "a new password")]).status(), 303);
        assert_eq!(post(&format!("/admin/users/{bob}/delete"), &[]).status(), 303);
        assert!(!text(c.get(app.url("/admin/users")).send().unwrap()).contains(">bob<"));

        // Site then group deleted, after confirmation pages.
        assert!(text(c.get(app.url("/admin/sites/shop/delete")).send().unwrap()).contains("check history"));
        assert_eq!(post("/admin/sites/shop/delete", &[]).status(), 303);
        assert_eq!(post("/admin/groups/web/delete", &[]).status(), 303);
        let groups: serde_json::Value = c.get(app.url("/api/groups")).send().unwrap().json().unwrap();
        assert!(groups["items"].as_array().unwrap().iter().all(|g| g["slug"] != "web"));
    }
}
