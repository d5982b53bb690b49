import { defaultModelDocument, validateModel } from '../../../core';
import { documentAsRead, DOCUMENTS_KEPT } from '../document-as-read';

type Doc = Record<string, any>;
const stored = () => structuredClone(defaultModelDocument) as Doc;

describe('documentAsRead: a stored model document as the engine reads it (what the revision diff compares)', () => {
  it('fills in the schema defaults exactly like validating the model does', () => {
    const validated = validateModel(stored());
    if (!validated.ok) throw new Error('the default model must validate');
    expect(documentAsRead(stored())).toEqual(validated.model.document);
  });

  it('answers by content: the same object edited (a draft saved over) gets the answer of its new content', () => {
    const draft = stored();
    const mql = (draft.stages as Doc[]).find((s) => s.id === 'mql')!;
    mql.slaDays = 4;
    expect(((documentAsRead(draft) as Doc).stages as Doc[]).find((s) => s.id === 'mql')!.slaDays).toBe(4);
    mql.slaDays = 9;
    expect(((documentAsRead(draft) as Doc).stages as Doc[]).find((s) => s.id === 'mql')!.slaDays).toBe(9);
  });

  it('gives a document that no longer validates back as stored', () => {
    const broken = { ...stored(), stages: 'not a list' };
    expect(documentAsRead(broken)).toBe(broken);
  });

  it('stays right past its bound: the oldest documents are validated again when asked for', () => {
    const documents = Array.from({ length: DOCUMENTS_KEPT + 5 }, (_, i) => ({ ...stored(), name: `model ${i}` }));
    for (const document of documents) documentAsRead(document);
    expect((documentAsRead(documents[0]) as Doc).name).toBe('model 0');
    expect((documentAsRead(documents.at(-1)) as Doc).name).toBe(`model ${DOCUMENTS_KEPT + 4}`);
  });
});
