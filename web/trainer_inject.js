// Lägesbild — "Inspel nu" on the trainer page: a message of the trainer's own into the running
// exercise (a post_message from the trainer into the exercise space). The fields and their checks
// are message_form.js's, shared with the TiB page's compose form.

import {h, timeHM, refusalWords} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {MessageForm} from './message_form.js';

const $ = (id) => document.getElementById(id);

/** The inject form of `page` (see trainer.js). Returns {render, sync}. */
export function createInject(page) {
  const {model, tracker} = page;
  const form = new MessageForm($('inject-form'), {
    prefix: 'i', prefixCommand: 'i', kinds: ['information', 'alert', 'situation_report'],
    levelLabel: ['Beredskapsläge ', h('span', {class: 'opt'}, '(för larm)')], ackInRow: true, senders: true, textRows: 3,
    sendLabel: 'Skicka inspel', resultId: 'inject-result', onSubmit: send,
  });

  function sync() {
    form.sync();
    form.enabled = page.isTrainer() && !page.session.signing && model.exerciseInfo?.status !== 'stopped' &&
      !tracker.busy('inject');
  }

  function send() {
    const cmd = form.read(page.space);
    if (!cmd) return;
    tracker.send(cmd, {kind: 'inject', onResult: resultIn(form.result, ({state, answer}) => {
      if (state === 'ok') {
        showResult(form.result, 'ok', `Inspelet skickat (nr ${answer.seq ?? '–'}) ${timeHM(model.wallNow())}`);
        form.reset();
      } else {
        showResult(form.result, 'error', `Inte skickat: ${refusalWords(answer, page.errorText)}`);
        form.refused(answer, page.errorText);
      }
    })});
  }

  return {
    render() {
      form.fillRecipients(model.regions);
      sync();
    },
    sync,
  };
}
