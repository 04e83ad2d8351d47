-- Whether each alert circuit (a channel, or one webhook URL) worked on its latest attempt, and
-- since when it has not: what the admin pages show as "the e-mail channel is down since ...".
CREATE TABLE alert_channels (
    circuit    TEXT NOT NULL PRIMARY KEY,
    channel    TEXT NOT NULL,
    target     TEXT,
    down_since TIMESTAMP,
    last_error TEXT,
    updated_at TIMESTAMP NOT NULL
);
