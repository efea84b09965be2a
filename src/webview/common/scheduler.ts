// Many messages can arrive within one frame (the host batches, but a snapshot
// or a busy run still floods): coalesce them into one render per animation
// frame. A hidden webview gets no frames, so it also stops drawing until shown.
export function frameScheduler(render: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  };
}
