// The public show pages' only script: the brand's accent colour, a live countdown before the start,
// and focus on the answer of the "remind me" form. The pages work without it.

const accent = document.body.dataset.accent;
if (/^#[0-9a-fA-F]{6}$/.test(accent ?? '')) document.documentElement.style.setProperty('--accent', accent);

const notice = document.getElementById('notice');
if (notice) notice.focus();

const countdown = document.querySelector('.countdown[data-start]');
if (countdown) {
  const start = Date.parse(countdown.dataset.start);
  const french = countdown.dataset.lang === 'fr';
  const words = french
    ? { before: 'Début dans', d: 'j', soon: 'Le live va commencer…' }
    : { before: 'Starts in', d: 'd', soon: 'The show is about to start…' };
  const pad = (n) => String(n).padStart(2, '0');
  const tick = () => {
    const left = Math.round((start - Date.now()) / 1000);
    if (left <= 0) {
      countdown.textContent = words.soon;
      return false;
    }
    const days = Math.floor(left / 86400);
    const hms = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
    countdown.textContent = `${words.before} ${days ? `${days} ${words.d} ` : ''}${hms}`;
    return true;
  };
  if (Number.isFinite(start) && tick()) {
    const timer = setInterval(() => { if (!tick()) clearInterval(timer); }, 1000);
  }
}

// The video plays where the browser reads HLS itself; elsewhere a note says where it does.
const video = document.querySelector('video.video');
if (video && !video.canPlayType('application/vnd.apple.mpegurl')) {
  const note = document.querySelector('.no-hls');
  if (note) note.hidden = false;
}
