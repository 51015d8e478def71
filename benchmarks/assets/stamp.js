// Wall-clock stamps drawn into video frames and read back on the far side, for the
// glass-to-glass figure (benchmarks/stamp.py draws the same pattern in Python). The time
// is Date.now() modulo 2^31 in 32 black/white squares along the top of the frame, each a
// 40th of the width, from the 4th square on: big enough to survive VP8 at any bitrate.
(() => {
  const BITS = 31;
  const geometry = w => { const cell = Math.floor(w / 40); return {cell, y: cell}; };
  window.__stampDraw = (ctx, w, h, ms) => {
    const {cell, y} = geometry(w);
    ctx.fillStyle = "#808080"; ctx.fillRect(0, 0, w, 3 * cell);
    for (let i = 0; i < BITS; i++) {
      ctx.fillStyle = (ms >>> i) & 1 ? "#ffffff" : "#000000";
      ctx.fillRect((i + 4) * cell, y, cell, cell);
    }
  };
  window.__stampRead = (ctx, w) => {
    const {cell, y} = geometry(w);
    const row = ctx.getImageData(0, y + (cell >> 1), w, 1).data;
    let ms = 0;
    for (let i = 0; i < BITS; i++) {
      const x = (i + 4) * cell + (cell >> 1);
      if (row[4 * x + 1] > 128) ms |= (1 << i);
    }
    return ms >>> 0;
  };
  window.__g2g = [];
  // Every frame the <video> shows: the delay from its stamp to now.
  window.__watchStamps = video => {
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    const step = () => {
      if (video.videoWidth) {
        if (canvas.width !== video.videoWidth) { canvas.width = video.videoWidth; canvas.height = video.videoHeight; }
        ctx.drawImage(video, 0, 0);
        const delay = ((Date.now() % 2 ** 31) - __stampRead(ctx, canvas.width) + 2 ** 31) % 2 ** 31;
        if (delay < 5000) __g2g.push(delay);
      }
      video.requestVideoFrameCallback(step);
    };
    video.requestVideoFrameCallback(step);
  };
  // A camera of stamped frames (30 a second) with the real microphone beside it.
  window.__stampCamera = async (w, h, audio) => {
    const canvas = Object.assign(document.createElement("canvas"), {width: w, height: h});
    const ctx = canvas.getContext("2d");
    let n = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${(n++ * 7) % 360} 40% 50%)`; ctx.fillRect(0, 0, w, h);
      __stampDraw(ctx, w, h, Date.now() % 2 ** 31);
    }, 1000 / 30);
    const tracks = canvas.captureStream(30).getVideoTracks();
    if (audio) tracks.push(...(await navigator.mediaDevices.getUserMedia({audio: true})).getAudioTracks());
    return new MediaStream(tracks);
  };
})();
