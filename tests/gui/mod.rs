//! GUI tests over the real app with egui_kittest: no window, no renderer;
//! widgets are found by their accessible labels, driven by clicks, keys and
//! drags, and the assertions are on the project itself.

mod coding;
mod editing;
mod exporting;
mod harness;
mod importing;
mod panels;
mod reviewing;
mod selecting;
mod session;
mod speakers;
