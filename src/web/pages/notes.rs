//! `POST /outages/{id}/notes`: the outage page's form for an incident note.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::manage::ManageError;
use crate::manage::input::Input;
use crate::manage::note::{self, NewNote, NoteFields};
use crate::web::auth::CurrentUser;
use crate::web::auth::csrf::CsrfForm;
use crate::web::error::WebError;
use crate::web::layout::flash;
use crate::web::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoteInput {
    status: String,
    message: String,
    /// A checkbox: sent only when ticked.
    notify: Option<String>,
}

impl From<NoteInput> for NoteFields {
    fn from(input: NoteInput) -> NoteFields {
        NoteFields {
            status: Some(input.status),
            message: Some(input.message),
            notify: matches!(Input::checkbox(input.notify.as_deref()), Input::Value(true)),
        }
    }
}

/// Adds the note and goes back to the outage page, which says what happened.
pub async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    form: CsrfForm<NoteInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let id = id.into_inner();
    let fields = NoteFields::from(input);
    let notify = fields.notify;
    let settings = state.settings.clone();
    let outage = id.clone();
    let result =
        state.manage(move |c| note::add(c, &settings, &outage, &user.username, &NewNote::try_from(fields)?)).await?;
    let message = match result {
        Ok(_) if notify => "Note added and queued to every alert channel.".to_owned(),
        Ok(_) => "Note added.".to_owned(),
        Err(ManageError::Invalid(errors)) => format!("The note was not added: {errors}"),
        Err(other) => return Err(other.into()),
    };
    state.changed();
    flash(&req, message);
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/outages/{id}"))).finish())
}
