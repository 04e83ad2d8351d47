//! Who uses sitewatch and who hears from it: users, API tokens, recipients and alert channels.

use clap::Subcommand;

use super::ListArgs;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; asks for the password twice unless --password-stdin
    #[command(
        after_help = "Examples:\n  sitewatch user add alice\n  echo \"$PASSWORD\" | sitewatch user add deploy --password-stdin"
    )]
    Add {
        /// The name to sign in with: letters, digits, `.`, `_`, `-` and `@`
        name: String,
        /// Read the password from the first line of standard input (for scripts)
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users
    #[command(after_help = "Example:\n  sitewatch user list --json")]
    List(ListArgs),
    /// Change a user's password
    #[command(after_help = "Example:\n  sitewatch user passwd alice")]
    Passwd {
        /// The user's name, as `user list` shows it
        name: String,
        /// Read the new password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user, their API tokens and their sessions
    #[command(after_help = "Example:\n  sitewatch user remove alice")]
    Remove {
        /// The user's name, as `user list` shows it
        name: String,
    },
    /// List a user's signed-in sessions, or end them all (a lost laptop, a copied cookie)
    #[command(
        after_help = "A session ends when its browser signs out, when it is unused for [web] session_days (14),\n\
                            when the user's password changes, or with --revoke; a copy of its cookie stops working too.\n\n\
                            Examples:\n  sitewatch user sessions alice\n  sitewatch user sessions alice --revoke"
    )]
    Sessions {
        /// The user's name, as `user list` shows it
        name: String,
        /// End every session of the user
        #[arg(long)]
        revoke: bool,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecipientCommand {
    /// Send alerts to an e-mail address or (by SMS) a phone number: for every site, one
    /// group's, or one site's
    #[command(after_help = "A phone number is written in international form: + then the country code and number\n\
                            (spaces, dots, dashes and brackets are ignored). SMS needs [sms] in the settings.\n\n\
                            Examples:\n  sitewatch recipient add ops@example.com\n  \
                            sitewatch recipient add shop-team@example.com --group web\n  \
                            sitewatch recipient add \"+44 7700 900123\" --site shop")]
    Add {
        /// An e-mail address (ops@example.com) or a phone number (+447700900123)
        #[arg(value_name = "ADDRESS")]
        address: String,
        /// Only alerts about this site
        #[arg(long, conflicts_with = "group")]
        site: Option<String>,
        /// Only alerts about sites of this group
        #[arg(long)]
        group: Option<String>,
    },
    /// List recipients and what they receive
    #[command(after_help = "Example:\n  sitewatch recipient list")]
    List(ListArgs),
    /// Stop sending alerts to a recipient (by the id `recipient list` shows)
    #[command(after_help = "Example:\n  sitewatch recipient remove 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87")]
    Remove {
        /// The recipient's id, as `recipient list` shows it
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once and only its hash is kept
    #[command(after_help = "Example:\n  sitewatch token add alice --label deploy-script")]
    Add {
        /// The user the token acts for
        user: String,
        /// A note to recognise the token by later
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List API tokens (never their secrets)
    #[command(after_help = "Example:\n  sitewatch token list")]
    List(ListArgs),
    /// Revoke an API token by the id `token list` shows
    #[command(after_help = "Example:\n  sitewatch token revoke 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87")]
    Revoke {
        /// The token's id, as `token list` shows it
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send a test alert through every enabled channel and say which worked (exit 1 if one failed)
    #[command(
        after_help = "Each enabled channel gets one test alert: e-mail to [email] to and every e-mail recipient of\n\
                            all alerts, an SMS to [sms] to and every phone recipient of all alerts, one tweet, and a\n\
                            POST to each [[webhooks]] URL in its format. Nothing is retried later.\n\n\
                            Examples:\n  sitewatch notify test\n  \
                            SITEWATCH_EMAIL_PASSWORD=... sitewatch --config /etc/sitewatch/sitewatch.toml notify test"
    )]
    Test,
    /// List alert deliveries waiting to be sent or given up on
    #[command(
        after_help = "A delivery is one alert to one recipient through one channel. Pending ones are tried again on\n\
                            every check round. Only refusals by a channel that was reached count: after 10 of them a\n\
                            delivery is marked failed and kept. While a channel cannot be reached at all, its deliveries\n\
                            wait, up to [alerts] give_up_after_hours (72) after they were queued.\n\n\
                            Examples:\n  sitewatch notify list\n  sitewatch notify list --json"
    )]
    List(ListArgs),
    /// Queue failed deliveries again, to be sent by the next check round
    #[command(
        after_help = "Use it once the cause is fixed, or for a delivery whose outcome was unknown (it may have\n\
                            arrived already: that is why it was not resent by itself).\n\n\
                            Examples:\n  sitewatch notify retry 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87\n  \
                            sitewatch notify retry --all-failed"
    )]
    Retry {
        /// Ids of failed deliveries, as `notify list` shows them
        #[arg(required_unless_present = "all_failed", conflicts_with = "all_failed")]
        ids: Vec<String>,
        /// Every failed delivery
        #[arg(long)]
        all_failed: bool,
    },
}
