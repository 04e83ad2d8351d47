//! Table definitions for diesel, written by hand to match both migration folders.

diesel::table! {
    groups (id) {
        id -> Text,
        name -> Text,
        slug -> Text,
        description -> Text,
        display_order -> Integer,
        created_at -> Timestamp,
        public -> Bool,
    }
}

diesel::table! {
    sites (id) {
        id -> Text,
        group_id -> Text,
        name -> Text,
        slug -> Text,
        url -> Text,
        active -> Bool,
        interval_secs -> Nullable<Integer>,
        created_at -> Timestamp,
        last_checked_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        last_response_ms -> Nullable<Integer>,
        last_up -> Nullable<Bool>,
        consecutive_failures -> Integer,
        last_failure_at -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        view_count -> BigInt,
        last_maintenance -> Bool,
        probes -> Nullable<Integer>,
        keyword -> Nullable<Text>,
        keyword_absent -> Bool,
        tls_expires_at -> Nullable<Timestamp>,
        tls_alerted_days -> Text,
        last_ping_transmitted -> Nullable<Integer>,
        last_ping_received -> Nullable<Integer>,
        last_ping_duplicates -> Nullable<Integer>,
        last_ping_rtt_min_ms -> Nullable<Double>,
        last_ping_rtt_avg_ms -> Nullable<Double>,
        last_ping_rtt_max_ms -> Nullable<Double>,
        last_ping_rtt_mdev_ms -> Nullable<Double>,
    }
}

diesel::table! {
    site_views (site_id, checked_at) {
        site_id -> Text,
        checked_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        response_ms -> Integer,
        up -> Bool,
        maintenance -> Bool,
        ping_transmitted -> Nullable<Integer>,
        ping_received -> Nullable<Integer>,
        ping_duplicates -> Nullable<Integer>,
        ping_rtt_min_ms -> Nullable<Double>,
        ping_rtt_avg_ms -> Nullable<Double>,
        ping_rtt_max_ms -> Nullable<Double>,
        ping_rtt_mdev_ms -> Nullable<Double>,
        location -> Text,
    }
}

diesel::table! {
    locations (name) {
        name -> Text,
        created_at -> Timestamp,
        last_round_at -> Nullable<Timestamp>,
        last_round_state -> Text,
        stale -> Bool,
    }
}

diesel::table! {
    site_locations (site_id, location) {
        site_id -> Text,
        location -> Text,
        checked_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        response_ms -> Integer,
        up -> Bool,
        consecutive_failures -> Integer,
    }
}

diesel::table! {
    site_rollups_hourly (site_id, hour_start) {
        site_id -> Text,
        hour_start -> Timestamp,
        checks -> Integer,
        ups -> Integer,
        responses -> Integer,
        response_ms_sum -> BigInt,
        response_ms_min -> Nullable<Integer>,
        response_ms_max -> Nullable<Integer>,
        histogram -> Binary,
        outcomes -> Text,
        ping_transmitted -> Integer,
        ping_received -> Integer,
        ping_jitter_checks -> Integer,
        ping_mdev_us_sum -> BigInt,
    }
}

diesel::table! {
    site_rollups_daily (site_id, day_start) {
        site_id -> Text,
        day_start -> Timestamp,
        checks -> Integer,
        ups -> Integer,
        responses -> Integer,
        response_ms_sum -> BigInt,
        response_ms_min -> Nullable<Integer>,
        response_ms_max -> Nullable<Integer>,
        histogram -> Binary,
        outcomes -> Text,
        ping_transmitted -> Integer,
        ping_received -> Integer,
        ping_jitter_checks -> Integer,
        ping_mdev_us_sum -> BigInt,
    }
}

diesel::table! {
    site_rollups_monthly (site_id, month_start) {
        site_id -> Text,
        month_start -> Timestamp,
        checks -> Integer,
        ups -> Integer,
        responses -> Integer,
        response_ms_sum -> BigInt,
        response_ms_min -> Nullable<Integer>,
        response_ms_max -> Nullable<Integer>,
        histogram -> Binary,
        outcomes -> Text,
        ping_transmitted -> Integer,
        ping_received -> Integer,
        ping_jitter_checks -> Integer,
        ping_mdev_us_sum -> BigInt,
    }
}

diesel::table! {
    outages (id) {
        id -> Text,
        started_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        last_reminder -> Integer,
    }
}

diesel::table! {
    outage_sites (id) {
        id -> Text,
        outage_id -> Text,
        site_id -> Nullable<Text>,
        site_name -> Text,
        site_slug -> Text,
        site_url -> Text,
        down_at -> Timestamp,
        up_at -> Nullable<Timestamp>,
        down_status_code -> Nullable<Integer>,
        down_error -> Nullable<Text>,
        down_from -> Text,
        up_from -> Text,
    }
}

diesel::table! {
    recipients (id) {
        id -> Text,
        email -> Text,
        site_id -> Nullable<Text>,
        group_id -> Nullable<Text>,
        created_at -> Timestamp,
        kind -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        label -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        subject -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    app_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    check_runs (id) {
        id -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        state -> Text,
        sites_checked -> Integer,
        sites_up -> Integer,
        sites_down -> Integer,
        outages_opened -> Integer,
        outages_resolved -> Integer,
        db_write_ms -> Nullable<Integer>,
        host -> Text,
        message -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        event -> Text,
        outage_id -> Nullable<Text>,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        notification_id -> Text,
        channel -> Text,
        target -> Text,
        state -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        last_attempt_at -> Nullable<Timestamp>,
        not_before -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        handed_over_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    alert_channels (circuit) {
        circuit -> Text,
        channel -> Text,
        target -> Nullable<Text>,
        down_since -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outage_notes (id) {
        id -> Text,
        outage_id -> Text,
        status -> Text,
        message -> Text,
        author -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    maintenance_windows (id) {
        id -> Text,
        site_id -> Nullable<Text>,
        group_id -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        cron -> Nullable<Text>,
        duration_secs -> Nullable<Integer>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client -> Text,
    }
}

diesel::table! {
    traffic_logs (name) {
        name -> Text,
        path -> Text,
        threshold -> Double,
        window_secs -> Integer,
        mean -> Double,
        alerting_since -> Nullable<Timestamp>,
        as_of -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    traffic_minutes (log, minute) {
        log -> Text,
        minute -> Timestamp,
        hits -> BigInt,
    }
}

diesel::table! {
    traffic_alerts (id) {
        id -> Text,
        log -> Text,
        event -> Text,
        mean -> Double,
        threshold -> Double,
        window_secs -> Integer,
        log_time -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sites -> groups (group_id));
diesel::joinable!(outage_notes -> outages (outage_id));
diesel::joinable!(site_views -> sites (site_id));
diesel::joinable!(site_locations -> sites (site_id));
diesel::joinable!(site_rollups_hourly -> sites (site_id));
diesel::joinable!(site_rollups_daily -> sites (site_id));
diesel::joinable!(site_rollups_monthly -> sites (site_id));
diesel::joinable!(outage_sites -> outages (outage_id));
diesel::joinable!(outage_sites -> sites (site_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(login_sessions -> users (user_id));
diesel::joinable!(deliveries -> notifications (notification_id));
diesel::joinable!(notifications -> outages (outage_id));

diesel::allow_tables_to_appear_in_same_query!(
    login_sessions,
    groups,
    sites,
    site_views,
    locations,
    site_locations,
    site_rollups_hourly,
    site_rollups_daily,
    site_rollups_monthly,
    outages,
    outage_sites,
    recipients,
    users,
    api_tokens,
    login_failures,
    app_settings,
    check_runs,
    notifications,
    deliveries,
    alert_channels,
    traffic_logs,
    traffic_minutes,
    traffic_alerts,
    outage_notes,
    maintenance_windows,
);
