//! prov: a quote and claim provenance tracker.
//!
//! The library holds everything but the user interface, one module per stage of the data's
//! trip: [`store`] keeps documents content-addressed with their metadata in SQLite, [`text`]
//! decodes their bytes, and [`ingest`] runs the add pipeline over them. The `prov` binary's
//! `cli` module turns command lines into calls here and renders what comes back.

pub mod align;
pub mod archive;
pub mod check;
pub mod diff;
pub mod export;
pub mod extract;
pub mod feed;
pub mod fetch;
#[doc(hidden)]
pub mod fuzzing;
pub mod grep;
pub mod index;
pub mod ingest;
pub mod model;
pub mod rebuild;
pub mod store;
pub mod sync;
pub mod text;
pub mod verify;

pub use model::DocId;
pub use store::Store;
