use std::net::TcpListener;

use crate::both_backends;
use crate::check::{site, views};
use crate::harness::http::{HttpServer, closed_port};
use crate::harness::{check, sw};

both_backends! {
    fn tcp_sites_are_up_when_the_connection_is_accepted(db) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap().port();
        let listener6 = TcpListener::bind("[::1]:0").unwrap();
        let open6 = listener6.local_addr().unwrap().port();
        sw(db, &["site", "add", &format!("tcp://127.0.0.1:{open}"), "--name", "listening"]).ok();
        sw(db, &["site", "add", &format!("tcp://[::1]:{open6}"), "--name", "listening-v6"]).ok();
        sw(db, &["site", "add", &format!("tcp://127.0.0.1:{}", closed_port()), "--name", "closed"]).ok();
        sw(db, &["site", "add", "tcp://nonexistent.invalid:22", "--name", "no-such-host"]).ok();

        let out = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "2").ok();
        assert!(out.contains("checked 4 site(s): 2 up, 2 down"), "{out}");
        for slug in ["listening", "listening-v6"] {
            let v = &views(db, slug)[0];
            assert!(v.up, "{slug}");
            assert_eq!((v.status_code, v.error.as_deref()), (None, None), "{slug}");
            assert_eq!(v.ping.stats(), None, "{slug}: no ping figures");
        }
        // The connection was made and closed again: the listener has it waiting, already shut.
        listener.set_nonblocking(true).unwrap();
        let (mut accepted, _) = listener.accept().expect("the check connected");
        let mut byte = [0u8; 1];
        assert_eq!(std::io::Read::read(&mut accepted, &mut byte).unwrap(), 0, "and closed without a word");

        let closed = &views(db, "closed")[0];
        assert_eq!((closed.up, closed.error.as_deref()), (false, Some("connect")));
        let unknown = &views(db, "no-such-host")[0];
        assert_eq!((unknown.up, unknown.error.as_deref()), (false, Some("dns")));
        assert_eq!(site(db, "no-such-host").last_error.as_deref(), Some("dns"));
        assert_eq!(site(db, "listening").kind().map(|k| k.as_str()), Some("tcp"));
    }

    fn probes_leave_from_the_source_address(db) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let listener6 = TcpListener::bind("[::1]:0").unwrap();
        let port6 = listener6.local_addr().unwrap().port();
        let web = HttpServer::always(200);
        let web6 = TcpListener::bind("[::1]:0").unwrap();
        sw(db, &["site", "add", &format!("tcp://127.0.0.1:{port}"), "--name", "tcp"]).ok();
        sw(db, &["site", "add", &format!("tcp://[::1]:{port6}"), "--name", "tcp-v6"]).ok();
        sw(db, &["site", "add", &web.url("/"), "--name", "web"]).ok();
        sw(db, &["site", "add", &format!("http://[::1]:{}/", web6.local_addr().unwrap().port()), "--name", "web-v6"]).ok();
        let config = db.write_file("source.toml", "[check]\nsource_address = \"127.0.0.5\"\n");

        let out = check(db, &["--config", config.to_str().unwrap()]).ok();
        assert!(out.contains("2 up, 2 down"), "{out}");
        let (_, peer) = listener.accept().unwrap();
        assert_eq!(peer.ip().to_string(), "127.0.0.5", "the TCP check left from the source address");
        assert!(views(db, "tcp")[0].up && views(db, "web")[0].up);
        for slug in ["tcp-v6", "web-v6"] {
            let v = &views(db, slug)[0];
            assert_eq!((v.up, v.error.as_deref()), (false, Some("connect")), "{slug}: IPv6 cannot leave from 127.0.0.5");
        }
    }
}
